// The live dashboard (templates/dashboard.mustache, GET /dashboard). Without JavaScript it lists the sittings with
// their viewers and the petitions with their counts at page load. With it, the `dashboard` topic's snapshot and
// conflated `tally` events (Protocol/PROTOCOL.md §6.4) drive per-sitting audience and question counts and per-petition
// counts, signatures per minute and thresholds, and charts (js/charts.js, each with its text alternative and a
// table of the same numbers):
//
// - per petition, signatures per minute over the last three hours: GET /petitions/{id}/history.json, then live;
// - per sitting, the audience minute by minute with its peak, and the questions by state: GET /api/v1/dashboard/series,
//   then live;
// - a hex cartogram of a chosen petition's signatures by constituency: the map from /static/maps/areas.hex.json
//   (HexJSON keyed by the same codes as the open data; WebClient/README.md says how a parliament supplies its own),
//   counts from the `petition:{id}:areas` topic.
//
// Nothing is announced: the numbers change too often. Charts are drawn at the width of their box (text keeps its
// size) and again when it changes.
//
// This module only wires: the parts are dashboard-models.js (the charts' and map's models, pure), dashboard-figure.js
// (a chart on the page), dashboard-cards.js (the sitting and petition cards) and dashboard-map.js (the cartogram and
// its topic); tests/dashboard-page.test.mjs runs the models, tests/dashboard-parts.test.mjs each part alone and the
// page with a fake socket and fetch.
//
// DOM hooks: #main[data-topic="dashboard"], #live-status, #dashboard-updated, ul#dashboard-sittings >
// li[data-sitting-id][data-state] [data-stat], ul#dashboard-petitions > li[data-petition-id] [data-stat],
// progress[data-threshold], figure.chart > svg.chart__svg (path.chart__line) and table.chart__table, #area-map-section,
// #area-map, select#area-map-petition, #area-map-status.

import { DASHBOARD_TOPIC } from './constants.js';
import { dashboardCards } from './dashboard-cards.js';
import { wireAreaMap } from './dashboard-map.js';
import { formatters, petitionChartModel, sittingChartModels } from './dashboard-models.js';
import {
  emptyPetitionSeries, emptySittingSeries, withCount, withHistory, withServerSeries, withTally,
} from './dashboard-series.js';
import { applyTally, emptyDashboardState } from './dashboard-state.js';
import { connectionTexts, liveUrl, reconcileList, showConnection, wireLifecycle } from './dom.js';
import { isPage } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { pageTimeZone } from './time-text.js';
import { LiveSocket } from './live-socket.js';

export const SERIES_URL = '/api/v1/dashboard/series';

export function enhanceDashboardPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  fetchImpl = globalThis.fetch?.bind(globalThis),
  now = () => Date.now(),
} = {}) {
  const main = doc.getElementById('main');
  const topic = main?.dataset.topic;
  if (topic !== DASHBOARD_TOPIC) return null;
  const t = pageTranslator(doc);
  const zone = pageTimeZone(doc);
  const fmt = formatters(t.lang, zone);
  const clock = new Intl.DateTimeFormat(t.lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(zone ? { timeZone: zone } : {}) });
  const $ = (id) => doc.getElementById(id);
  const el = {
    status: $('live-status'), updated: $('dashboard-updated'),
    sittings: $('dashboard-sittings'), sittingsEmpty: $('dashboard-sittings-empty'),
    petitions: $('dashboard-petitions'), petitionsEmpty: $('dashboard-petitions-empty'),
  };
  let state = emptyDashboardState();
  const petitionSeries = new Map(); // id -> series
  const sittingSeries = new Map();
  const requested = new Set();
  let first = true;
  let frame = null;

  async function getJson(url) {
    const response = await fetchImpl(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  function chartNow() {
    const at = state.at ? Date.parse(state.at) : Number.NaN;
    return Number.isNaN(at) ? now() : at;
  }

  const cards = dashboardCards({
    doc, t, fmt,
    sittingModels: (s) => sittingChartModels({ id: s.id, series: sittingSeries.get(s.id) ?? emptySittingSeries(), nowMs: chartNow(), t, fmt }),
    petitionModel: (p) => petitionChartModel({ id: p.id, series: petitionSeries.get(p.id) ?? emptyPetitionSeries(), nowMs: chartNow(), t, fmt }),
  });

  function render() {
    frame = null;
    if (first) {
      // The server-rendered cards are simpler than the live ones: start again from the data.
      el.sittings?.replaceChildren();
      el.petitions?.replaceChildren();
      first = false;
    }
    if (el.sittings) reconcileList(el.sittings, state.sittings, { key: (s) => s.id, create: cards.createSitting, update: cards.updateSitting });
    if (el.petitions) reconcileList(el.petitions, state.petitions, { key: (p) => p.id, create: cards.createPetition, update: cards.updatePetition });
    if (el.sittingsEmpty) el.sittingsEmpty.hidden = state.sittings.length > 0;
    if (el.petitionsEmpty) el.petitionsEmpty.hidden = state.petitions.length > 0;
    if (el.updated) {
      const at = state.at ? Date.parse(state.at) : Number.NaN;
      el.updated.hidden = Number.isNaN(at);
      if (!Number.isNaN(at)) el.updated.textContent = t('dashboard_updated', { time: clock.format(at) });
    }
    areaMap?.render(state.petitions);
  }

  function schedule() {
    if (frame !== null) return;
    frame = typeof win.requestAnimationFrame === 'function' ? win.requestAnimationFrame(render) : win.setTimeout(render, 0);
  }

  /** A tally (snapshot or event): the state, each series' new point, and the histories asked for once. */
  function onTally(data) {
    state = applyTally(state, data, now());
    const at = chartNow();
    for (const p of state.petitions) {
      petitionSeries.set(p.id, withCount(petitionSeries.get(p.id) ?? emptyPetitionSeries(), p.signature_count, at));
      if (!requested.has(`p${p.id}`) && fetchImpl) {
        requested.add(`p${p.id}`);
        getJson(`/petitions/${p.id}/history.json`)
          .then((json) => { petitionSeries.set(p.id, withHistory(petitionSeries.get(p.id) ?? emptyPetitionSeries(), json)); schedule(); })
          .catch((error) => win.console?.warn?.('dashboard: no history for petition', p.id, error));
      }
    }
    for (const s of state.sittings) sittingSeries.set(s.id, withTally(sittingSeries.get(s.id) ?? emptySittingSeries(), s, at));
    if (!requested.has('series') && fetchImpl) {
      requested.add('series');
      getJson(SERIES_URL).then((json) => {
        for (const entry of Array.isArray(json?.sittings) ? json.sittings : []) {
          if (!Number.isSafeInteger(entry?.id)) continue;
          sittingSeries.set(entry.id, withServerSeries(sittingSeries.get(entry.id) ?? emptySittingSeries(), entry));
        }
        schedule();
      }).catch((error) => win.console?.warn?.('dashboard: no series', error));
    }
    schedule();
  }

  const texts = connectionTexts(t);
  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: (s) => showConnection(el.status, s, texts),
  });
  const areaMap = wireAreaMap({
    doc, win, t, fmt, now, onChange: schedule,
    subscribe: (name, handlers) => live.subscribe(name, handlers),
    getJson: fetchImpl ? getJson : null,
  });
  live.subscribe(DASHBOARD_TOPIC, {
    onSnapshot: onTally,
    onEvent(name, data) { if (name === 'tally') onTally(data); },
  });
  if (typeof win.ResizeObserver === 'function') {
    let lastWidth = main.clientWidth;
    new win.ResizeObserver(() => { if (main.clientWidth !== lastWidth) { lastWidth = main.clientWidth; schedule(); } }).observe(main);
  }
  wireLifecycle(live, { doc, win });
  return { live, getState: () => state };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'dashboard')) {
  enhanceDashboardPage();
}
