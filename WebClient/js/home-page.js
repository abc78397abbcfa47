// The home page's petition list follows each listed petition's live topic: counts move without a reload, and a
// petition that closes or is rejected says so. Without JavaScript the list shows the counts as of page load.
//
// DOM hooks: li[data-petition-id] in #petition-list, each with data.petition-count and .petition-state.

import { countText } from './embed-count.js';
import { LiveSocket } from './live-socket.js';

/** At most this many petitions are followed (the server's per-connection topic limit is 100). */
export const MAX_FOLLOWED = 50;

/** The words shown for a petition's state on the list ('' while open). */
export function stateText(state) {
  switch (state) {
    case 'open': return '';
    case 'closed': return 'Closed';
    case 'rejected': return 'Rejected';
    default: return 'Not accepting signatures';
  }
}

/** Applies a snapshot's or event's data to one list item's elements; returns what changed, for tests. */
export function applyToItem(elements, name, data) {
  const changed = {};
  if (!data) return changed;
  if ((name === 'snapshot' || name === 'count' || name === 'threshold') && Number.isSafeInteger(data.signature_count)) {
    elements.count.value = String(data.signature_count);
    elements.count.textContent = countText(data.signature_count);
    if (elements.unit) elements.unit.textContent = data.signature_count === 1 ? 'signature' : 'signatures';
    changed.count = data.signature_count;
  }
  if ((name === 'snapshot' || name === 'state') && typeof data.state === 'string' && elements.state) {
    const text = stateText(data.state);
    elements.state.textContent = text;
    elements.state.hidden = text === '';
    changed.state = data.state;
  }
  return changed;
}

function start(doc, win) {
  const items = Array.from(doc.querySelectorAll('#petition-list li[data-petition-id]')).slice(0, MAX_FOLLOWED);
  if (items.length === 0 || typeof win.WebSocket !== 'function') return;
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const live = new LiveSocket({ url: `${scheme}//${win.location.host}/live` });
  for (const item of items) {
    const elements = {
      count: item.querySelector('data.petition-count'),
      unit: item.querySelector('.petition-count-unit'),
      state: item.querySelector('.petition-state'),
    };
    if (!elements.count) continue;
    live.subscribe(`petition:${item.dataset.petitionId}`, {
      onSnapshot: (data) => applyToItem(elements, 'snapshot', data),
      onEvent: (name, data) => applyToItem(elements, name, data),
    });
  }
}

if (typeof document !== 'undefined' && typeof window !== 'undefined') start(document, window);
