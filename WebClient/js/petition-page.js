// Progressive enhancement of the server-rendered petition page (templates/petition.mustache).
// Without this script the page works: the count is the one rendered, the form posts normally.
// With it: the count follows the `petition:{id}` topic live (up as people sign, down when staff invalidate
// signatures), thresholds move, the connection state is shown, changes are announced (throttled) to screen readers,
// the form is sent with fetch as JSON, and a `state` event that takes the petition out of "open" (closed at its
// deadline, rejected) replaces the form with a notice. The signatures by region and constituency follow
// `petition:{id}:areas` (section#areas, hidden without JavaScript; not announced: the count already is).
//
// This module is the wiring; its parts are tested alone: petition-count.js (counts, thresholds: pure),
// petition-view.js (what they draw), sign-form.js (the form), petition-areas.js (the area tables), petition-text.js
// (the words).
//
// DOM hooks (Protocol/DESIGN-CONTRACT.md): #main[data-topic], data#signature-count, #live-status,
// #live-announcer, form#sign-form, #sign-result (after a successful send: data-outcome=counted|pending_confirmation|held),
// progress[data-threshold], #petition-state, #sign-heading, #sign-closed[data-state] (added when the petition stops
// accepting signatures), section#areas[data-areas-topic] (#areas-regions-body and #areas-constituencies-body
// > tr[data-code], #areas-regions-wrap, #areas-constituencies-wrap, #areas-constituencies-more, #areas-empty).

import { Announcer } from './announcer.js';
import { ConnectionState, EventName } from './constants.js';
import { liveUrl, wireErrorSummaryLinks, wireLifecycle } from './dom.js';
import { pageTranslator } from './i18n.js';
import { LiveSocket } from './live-socket.js';
import { enhanceAreas } from './petition-areas.js';
import { liveCount, nextCount, thresholdReached, thresholdsFromSnapshot } from './petition-count.js';
import { STATE_LABELS, STATUS_TEXT, countPhrase, describeError, signedMessage, stateNotice } from './petition-text.js';
import { renderCount, renderStateNotice, renderStatus, renderThresholds } from './petition-view.js';
import { enhanceSignForm } from './sign-form.js';

// The texts live in petition-text.js, the count in petition-count.js, the form in sign-form.js and the areas in
// petition-areas.js (each testable alone); these names stay exported from here.
export { STATE_LABELS, STATUS_TEXT, countPhrase, describeError, signedMessage, stateNotice };
export { liveUrl } from './dom.js';
export { liveCount, nextCount, thresholdPercent } from './petition-count.js';
export { readJsonBlock } from './petition-areas.js';
export { SIGN_FIELDS, signOutcome, signaturePayload } from './sign-form.js';

/**
 * Wires the page. Everything the browser provides can be injected.
 * @returns {{live: LiveSocket, announcer: Announcer|null} | null}
 */
export function enhancePetitionPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
} = {}) {
  const main = doc.getElementById('main');
  const topic = main?.dataset.topic;
  if (!topic) return null;

  const t = pageTranslator(doc);
  const numberFormat = new Intl.NumberFormat(t.lang);
  const format = (n) => numberFormat.format(n);
  const countEl = doc.getElementById('signature-count');
  const statusEl = doc.getElementById('live-status');
  const announcerEl = doc.getElementById('live-announcer');
  const announcer = announcerEl ? new Announcer(announcerEl) : null;

  let displayed = Number.parseInt(countEl?.getAttribute('value') ?? '', 10);
  if (!Number.isSafeInteger(displayed)) displayed = 0;
  let synced = false; // the first snapshot only confirms what the page shows: do not announce it
  /** threshold name -> {signatures, reachedAt} from the snapshot */
  let thresholds = new Map();

  /** `live`: the value comes from the topic and may be lower (invalidations); otherwise the count only goes up. */
  function showCount(count, { announce, live = false }) {
    const next = live ? liveCount(displayed, count) : nextCount(displayed, count);
    if (next === displayed) return;
    displayed = next;
    renderCount(doc, next, { t, format });
    renderThresholds(doc, thresholds, displayed, t);
    if (announce && announcer) announcer.announce(countPhrase(next, format, t));
  }

  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: (state) => renderStatus(statusEl, state, t),
  });
  renderStatus(statusEl, ConnectionState.CONNECTING, t);

  live.subscribe(topic, {
    onSnapshot(data) {
      thresholds = thresholdsFromSnapshot(data) ?? thresholds;
      showCount(data.signature_count, { announce: synced, live: true });
      renderThresholds(doc, thresholds, displayed, t);
      renderStateNotice(doc, data.state, null, t);
      synced = true;
    },
    onEvent(name, data) {
      if (name === EventName.COUNT) {
        showCount(data.signature_count, { announce: true, live: true });
      } else if (name === EventName.STATE) {
        renderStateNotice(doc, data.state, data.rejection ?? null, t);
      } else if (name === EventName.THRESHOLD) {
        thresholds = new Map(thresholds).set(data.name, thresholdReached(thresholds.get(data.name), data));
        renderThresholds(doc, thresholds, displayed, t);
        showCount(data.signature_count, { announce: true });
      }
    },
  });

  const areasSection = doc.getElementById('areas');
  if (areasSection?.dataset.areasTopic) {
    enhanceAreas({ doc, win, t, live, fetchImpl, section: areasSection, petitionId: main.dataset.petitionId, format });
  }

  // Mobile browsers freeze background tabs, networks come and go, and an open WebSocket keeps the page out of the
  // back/forward cache: dom.js wires all of it.
  wireLifecycle(live, { doc, win });

  // A summary rendered by the server after a no-JS attempt: take the user to it, and make its links focus fields.
  doc.getElementById('error-summary')?.focus();
  wireErrorSummaryLinks(doc);

  enhanceSignForm({ doc, win, t, fetchImpl, onCount: (n) => showCount(n, { announce: true }) });

  return { live, announcer };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined') {
  enhancePetitionPage();
}
