// The embeddable live count (/embed/petitions/{id}, for other sites' iframes): the petition's count follows its
// live topic. Everything works without JavaScript (the count is the one at page load).

import { LiveSocket } from './live-socket.js';

/** The text of a count, with thousands separators, as the server writes it. */
export function countText(n) {
  return Number.isSafeInteger(n) ? n.toLocaleString('en-GB') : '';
}

/** Applies a snapshot or `count` event's data to the page's elements; returns the count shown (or null). */
export function applyCount(elements, data) {
  const n = data && Number.isSafeInteger(data.signature_count) ? data.signature_count : null;
  if (n === null) return null;
  elements.number.value = String(n);
  elements.number.textContent = countText(n);
  if (elements.unit) elements.unit.textContent = n === 1 ? 'signature' : 'signatures';
  return n;
}

function start(doc, win) {
  const main = doc.getElementById('main');
  const number = doc.getElementById('signature-count');
  if (!main || !number || !main.dataset.topic || typeof win.WebSocket !== 'function') return;
  const elements = { number, unit: doc.getElementById('signature-count-unit') };
  const status = doc.getElementById('live-status');
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const live = new LiveSocket({
    url: `${scheme}//${win.location.host}/live`,
    onStateChange: (state) => { if (status) status.dataset.state = state; },
  });
  live.subscribe(main.dataset.topic, {
    onSnapshot: (data) => applyCount(elements, data),
    onEvent: (name, data) => { if (name === 'count' || name === 'threshold') applyCount(elements, data); },
  });
}

if (typeof document !== 'undefined' && typeof window !== 'undefined') start(document, window);
