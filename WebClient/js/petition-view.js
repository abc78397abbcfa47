// What the petition page draws from its live state (petition-page.js calls these): the count and its unit, the
// thresholds' bars and status lines, the connection line, and the notice that replaces the sign form when the
// petition stops accepting signatures. Each takes the document and the values; none keeps state.
//
// DOM hooks: data#signature-count, #signature-count-unit, progress[data-threshold] (in [data-threshold-item], with
// [data-threshold-status]), #live-status, form#sign-form, #petition-state, #sign-heading, #sign-closed[data-state].

import { h } from './dom.js';
import { thresholdView } from './petition-count.js';
import { STATE_LABELS, countUnit, say, stateNotice, statusText, thresholdStatus } from './petition-text.js';

/** The big number (its `value` too) and its unit. */
export function renderCount(doc, count, { t, format }) {
  const countEl = doc.getElementById('signature-count');
  if (countEl) {
    countEl.setAttribute('value', String(count));
    countEl.textContent = format(count);
  }
  const unitEl = doc.getElementById('signature-count-unit');
  if (unitEl) unitEl.textContent = countUnit(count, t);
}

/** Every threshold bar the snapshot told about (`thresholds`: name -> {signatures, reachedAt}) at `count`. */
export function renderThresholds(doc, thresholds, count, t) {
  for (const bar of doc.querySelectorAll('progress[data-threshold]')) {
    const name = bar.dataset.threshold;
    const info = thresholds.get(name);
    if (!info) continue;
    const { reached, percent } = thresholdView(info, count);
    bar.value = percent;
    bar.setAttribute('value', String(percent));
    bar.textContent = `${percent}%`;
    const item = bar.closest('[data-threshold-item]');
    if (item) item.classList.toggle('threshold--reached', reached);
    const status = doc.querySelector(`[data-threshold-status="${cssString(name)}"]`);
    if (status) status.textContent = thresholdStatus(reached, percent, t);
  }
}

/** The connection line (`data-state` for the CSS, the words for people). */
export function renderStatus(statusEl, state, t) {
  if (!statusEl) return;
  statusEl.dataset.state = state;
  statusEl.textContent = statusText(state, t);
}

/**
 * The petition stopped (or, in principle, started again) accepting signatures: the form goes, a notice says why
 * (focus moves to it if it was in the form). Nothing when the page was rendered closed (no form: the server's
 * notice is there already) or the state is not a string.
 */
export function renderStateNotice(doc, state, rejection, t) {
  const form = doc.getElementById('sign-form');
  if (!form || typeof state !== 'string') return;
  const notice = stateNotice(state, rejection, t);
  const tag = doc.getElementById('petition-state');
  const heading = doc.getElementById('sign-heading');
  let box = doc.getElementById('sign-closed');
  if (tag) {
    tag.className = `tag tag--${state}`;
    tag.textContent = notice ? notice.label : say(t, 'petition_state_open', STATE_LABELS.open);
  }
  if (!notice) {
    if (box) {
      box.remove();
      form.hidden = false;
      if (heading) heading.textContent = say(t, 'petition_sign_heading', 'Sign this petition');
    }
    return;
  }
  const hadFocus = form.contains(doc.activeElement);
  form.hidden = true;
  if (heading) heading.textContent = say(t, 'petition_signing_heading', 'Signing');
  if (!box) {
    box = h(doc, 'div', { className: 'notice notice--warning sign-closed', attrs: { id: 'sign-closed', role: 'status', tabindex: '-1' } });
    form.before(box);
  }
  box.dataset.state = state;
  box.replaceChildren(h(doc, 'p', {}, h(doc, 'strong', { text: `${notice.heading}.` }), ` ${notice.text}`));
  if (hadFocus) box.focus();
}

/** A value for a `[attr="…"]` selector (CSS.escape where the browser has it). */
function cssString(value) {
  return typeof CSS !== 'undefined' && typeof CSS.escape === 'function' ? CSS.escape(value) : String(value).replace(/["\\]/g, '\\$&');
}
