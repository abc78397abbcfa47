// The embeddable live count (/embed/petitions/{id}, for other sites' iframes): the petition's count follows its live
// topic, with the progress towards its next threshold and a live/offline mark. Everything works without JavaScript
// (the count and the bar are the ones at page load; no mark). English only, as the embed page.
//
// Variants (query parameters, WebClient/README.md): `show=count` (the count alone) or `show=progress` (the default,
// with the bar), `theme=dark`. The pure functions here are tested alone; `start` only wires them.

import { LiveSocket } from './live-socket.js';

/** The text of a count, with thousands separators, as the server writes it. */
export function countText(n) {
  return Number.isSafeInteger(n) ? n.toLocaleString('en-GB') : '';
}

/** What a threshold leads to, in words: `response` and `debate` as the UK site says them; others by name. */
export function goalPhrase(name) {
  return { response: 'a government response', debate: 'a debate' }[name] ?? String(name ?? '');
}

/** Progress towards a threshold of `signatures`: {percent (0..100, 100 only once reached), reached, text}. */
export function goalState(count, { signatures, name }) {
  const reached = Number.isSafeInteger(count) && signatures > 0 && count >= signatures;
  const percent = reached ? 100 : signatures > 0 && count > 0 ? Math.min(99, Math.floor((count * 100) / signatures)) : 0;
  const text = reached
    ? `Reached ${countText(signatures)} for ${goalPhrase(name)}`
    : `${percent}% of ${countText(signatures)} for ${goalPhrase(name)}`;
  return { percent, reached, text };
}

/** The live mark's text for a connection state; '' before JavaScript runs (static). */
export function statusText(state) {
  return { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' }[state] ?? '';
}

/** Applies a snapshot or `count` event's data to the page's elements; returns the count shown (or null). */
export function applyCount(elements, data) {
  const n = data && Number.isSafeInteger(data.signature_count) ? data.signature_count : null;
  if (n === null) return null;
  elements.number.value = String(n);
  elements.number.textContent = countText(n);
  if (elements.unit) elements.unit.textContent = n === 1 ? 'signature' : 'signatures';
  if (elements.progress && elements.bar && elements.goal) {
    const signatures = Number(elements.progress.dataset.signatures);
    if (signatures > 0) {
      const goal = goalState(n, { signatures, name: elements.progress.dataset.name });
      elements.bar.value = goal.percent;
      elements.bar.textContent = `${goal.percent}%`;
      elements.goal.textContent = goal.text;
      elements.progress.dataset.reached = String(goal.reached);
    }
  }
  return n;
}

function start(doc, win) {
  const main = doc.getElementById('main');
  const number = doc.getElementById('signature-count');
  if (!main || !number || !main.dataset.topic || typeof win.WebSocket !== 'function') return;
  const $ = (id) => doc.getElementById(id);
  const elements = { number, unit: $('signature-count-unit'), progress: $('embed-progress'), bar: $('embed-bar'), goal: $('embed-goal') };
  const status = $('live-status');
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const live = new LiveSocket({
    url: `${scheme}//${win.location.host}/live`,
    onStateChange: (state) => {
      if (!status) return;
      status.dataset.state = state;
      status.textContent = statusText(state);
    },
  });
  live.subscribe(main.dataset.topic, {
    onSnapshot: (data) => applyCount(elements, data),
    onEvent: (name, data) => { if (name === 'count' || name === 'threshold') applyCount(elements, data); },
  });
}

if (typeof document !== 'undefined' && typeof window !== 'undefined') start(document, window);
