// "Copy the link" buttons (templates/confirmed-creator.mustache: the supporter link to share). Progressive: without
// JavaScript the link is in a read-only text field that can be selected and copied by hand, and the button stays
// hidden. With it, the button appears; pressing it copies the field's value (Clipboard API, else the older
// execCommand('copy') on the selected field) and says so in a status line. If nothing could copy, the field's text
// is left selected and the status line says to copy it by hand. Focusing or clicking the field selects all of it.
//
// DOM hooks: button[data-copy-target="{input id}"] (hidden until this script shows it), #copy-status (role=status).
// Used on: #support-url / #copy-support-url.

import { pageTranslator } from './i18n.js';

/**
 * Copies `text`: 'copied' when the clipboard took it, 'selected' when the field is only selected (the user copies).
 * @param {string} text
 * @param {{clipboard?: {writeText: (s: string) => Promise<void>}, input?: {select: () => void}, execCommand?: (cmd: string) => boolean}} env
 */
export async function copyText(text, { clipboard, input, execCommand } = {}) {
  if (clipboard && typeof clipboard.writeText === 'function') {
    try {
      await clipboard.writeText(String(text));
      return 'copied';
    } catch { /* not allowed (permissions, insecure context): try the older way */ }
  }
  input?.select?.();
  if (typeof execCommand === 'function') {
    try {
      if (execCommand('copy')) return 'copied';
    } catch { /* unsupported */ }
  }
  return 'selected';
}

/** The i18n key of a copy outcome. */
export function copyResultKey(result) {
  return result === 'copied' ? 'link_copied' : 'link_select_to_copy';
}

export function enhanceCopyButtons({ doc = globalThis.document, win = globalThis.window } = {}) {
  const buttons = [...doc.querySelectorAll('button[data-copy-target]')];
  if (buttons.length === 0) return null;
  const t = pageTranslator(doc);
  const status = doc.getElementById('copy-status');
  let clearTimer = null;

  for (const button of buttons) {
    const input = doc.getElementById(button.dataset.copyTarget);
    if (!input) continue;
    input.addEventListener('focus', () => input.select());
    input.addEventListener('click', () => input.select());
    button.hidden = false;
    button.addEventListener('click', async () => {
      const result = await copyText(input.value, {
        clipboard: win.navigator?.clipboard,
        input,
        execCommand: typeof doc.execCommand === 'function' ? (command) => doc.execCommand(command) : undefined,
      });
      // Selecting the field (the fallback) moves focus there: give it back to the button once copied.
      if (result === 'copied') button.focus(); else input.focus();
      if (!status) return;
      // Empty first, so that a second copy is announced again.
      status.textContent = '';
      if (clearTimer !== null) win.clearTimeout(clearTimer);
      clearTimer = win.setTimeout(() => { status.textContent = t(copyResultKey(result)); clearTimer = null; }, 50);
    });
  }
  return { buttons };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined') {
  enhanceCopyButtons();
}
