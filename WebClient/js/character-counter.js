// A live character counter under a text field, as on the sitting page's ask form: "You have 12 characters
// remaining" (or "… too many") as the user types, counted the way the server counts (grapheme clusters of the
// trimmed, NFC-normalised text). The visible counter is aria-hidden; screen readers hear the count from a
// separate polite live region once typing pauses, not at every key.
//
// Markup (the counter is hidden until the script fills it, so there is nothing to read without JavaScript):
//
//   <input id="petition-action" data-max-length="80" aria-describedby="petition-action-hint">
//   <p class="character-count" id="petition-action-count" data-max="80" aria-hidden="true" hidden></p>
//   <div class="visually-hidden" id="petition-action-count-live" aria-live="polite"></div>

import { characterCount } from './hearing-state.js';
import { counterText } from './hearing-text.js';

/** Pause after the last key before the live region speaks, in ms. */
export const COUNTER_ANNOUNCE_DELAY_MS = 1000;

/**
 * What the counter of a field shows for `value` against `max`: {text, over, hidden}. No limit (max not a positive
 * number): nothing to show.
 */
export function fieldCounter(t, value, max) {
  const { text, over } = counterText(t, characterCount(value), max);
  return { text, over, hidden: text === '' };
}

/** The limit of a field: its counter's data-max, else the field's data-max-length; NaN when neither is a number. */
export function counterMax(input, counter) {
  const raw = counter?.dataset?.max ?? input?.dataset?.maxLength ?? '';
  return /^\d+$/.test(String(raw).trim()) ? Number.parseInt(raw, 10) : Number.NaN;
}

/**
 * Wires a counter to a field. Returns {update} (update({announce: false}) redraws without speaking) or null when the
 * field or the counter is missing.
 */
export function wireCharacterCounter({
  t, input, counter, live = null, max = counterMax(input, counter),
  setTimeout = (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout = (id) => globalThis.clearTimeout(id),
  delayMs = COUNTER_ANNOUNCE_DELAY_MS,
}) {
  if (!input || !counter) return null;
  let timer = null;
  function update({ announce }) {
    const { text, over, hidden } = fieldCounter(t, input.value, max);
    counter.hidden = hidden;
    counter.textContent = text;
    counter.classList.toggle('character-count--over', over);
    if (!announce || !live) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => { live.textContent = text; timer = null; }, delayMs);
  }
  input.addEventListener('input', () => update({ announce: true }));
  update({ announce: false });
  return { update };
}
