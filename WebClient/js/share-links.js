// The share block (templates/share-links.mustache) on the petition and thank-you pages. Without JavaScript it is a
// read-only link field and the platforms' share links (built by the server, every value percent-encoded). With it,
// "Copy link" appears (copy-link.js), and "Share…" appears where the browser offers the Web Share API
// (`navigator.share`, mostly phones): it opens the system's share sheet with the petition's title and address.
//
// DOM hooks: .share-links[data-share-url], #share-native (hidden until shown here), h1 (the title shared).

import { enhanceCopyButtons } from './copy-link.js';

/** What `navigator.share` is given: the page's title and address; null when the browser cannot share it. */
export function shareData({ url, title }, nav) {
  if (!nav || typeof nav.share !== 'function' || !url) return null;
  const data = { title: String(title ?? '').trim(), url: String(url) };
  if (typeof nav.canShare === 'function' && !nav.canShare(data)) return null;
  return data;
}

/** Shows and wires #share-native when the browser can share; returns whether it did. */
export function enhanceShare({ doc = globalThis.document, win = globalThis.window } = {}) {
  const block = doc.querySelector('.share-links[data-share-url]');
  const button = doc.getElementById('share-native');
  if (!block || !button) return false;
  const data = shareData({ url: block.dataset.shareUrl, title: doc.querySelector('h1')?.textContent }, win.navigator);
  if (!data) return false;
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await win.navigator.share(data);
    } catch { /* closed by the user (AbortError), or refused: the links below still work */ }
  });
  return true;
}

if (typeof document !== 'undefined' && typeof window !== 'undefined') {
  enhanceCopyButtons();
  enhanceShare();
}
