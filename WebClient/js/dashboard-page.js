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
// size) and again when it changes. The view functions (`*Model`) are pure and tested alone; `enhanceDashboardPage`
// only wires them to the DOM.
//
// DOM hooks: #main[data-topic="dashboard"], #live-status, #dashboard-updated, ul#dashboard-sittings >
// li[data-sitting-id][data-state] [data-stat], ul#dashboard-petitions > li[data-petition-id] [data-stat],
// progress[data-threshold], figure.chart > svg.chart__svg (path.chart__line) and table.chart__table, #area-map-section,
// #area-map, select#area-map-petition, #area-map-status.

import { DASHBOARD_TOPIC, petitionAreasTopic } from './constants.js';
import {
  applyAreasEvent, areaNames, areasFromSnapshot, emptyAreas, mergeNames, namesRefetchDelay, unknownCodes,
} from './area-counts.js';
import { cartogram, legendSteps, lineChart, parseHexJson, renderSvg } from './charts.js';
import {
  WINDOW_MS, emptyPetitionSeries, emptySittingSeries, petitionPoints, rowMinutes, sittingPoints,
  sittingWindow, summary, tableRows, withCount, withHistory, withServerSeries, withTally,
} from './dashboard-series.js';
import { applyTally, emptyDashboardState, thresholdProgress } from './dashboard-state.js';
import { connectionTexts, h, liveUrl, reconcileList, showConnection, wireLifecycle } from './dom.js';
import { isPage, sittingStateText } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { pageTimeZone } from './time-text.js';
import { LiveSocket } from './live-socket.js';

// Beside this module, so that it comes from the same version of the static files (/static/{version}/maps/…).
export const MAP_URL = new URL('../maps/areas.hex.json', import.meta.url).pathname;
export const SERIES_URL = '/api/v1/dashboard/series';
const CHART_HEIGHT = 220;

/** Formatting for the charts: numbers and 24-hour times in the page's language. */
export function formatters(lang, timeZone = undefined) {
  const numbers = new Intl.NumberFormat(lang);
  // In the parliament's time zone (`<html data-time-zone>`), as the server renders times.
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
  return { number: (n) => numbers.format(n), time: (ms) => time.format(ms) };
}

/** The petition chart's model: points, title, description and table rows. */
export function petitionChartModel({ id, series, nowMs, t, fmt, windowMs = WINDOW_MS }) {
  const start = nowMs - windowMs;
  const points = petitionPoints(series, { start, end: nowMs });
  const { total, peak, latest } = summary(points);
  const values = { start: fmt.time(start), end: fmt.time(nowMs) };
  const desc = peak
    ? t('chart_signatures_desc', { ...values, total: fmt.number(total), latest: fmt.number(latest), peak: fmt.number(peak.v), time: fmt.time(peak.t) })
    : t('chart_signatures_desc_none', values);
  const minutes = rowMinutes(start, nowMs);
  return {
    id: `chart-petition-${id}`, start, end: nowMs, title: t('chart_signatures_title'), desc,
    series: [{ key: 'signatures', label: t('stat_per_minute'), points, area: true }],
    head: [t('chart_col_time'), t('chart_col_signatures')],
    rows: tableRows(points, { minutes, reduce: 'sum' }).map((r) => [fmt.time(r.t), fmt.number(r.v)]),
    note: minutes > 1 ? t('chart_table_note', { n: minutes }) : '',
  };
}

/** The sitting's two charts: audience (with its peak) and questions by state. */
export function sittingChartModels({ id, series, nowMs, t, fmt }) {
  const { start, end } = sittingWindow(series, nowMs);
  const lines = sittingPoints(series, { start, end });
  const minutes = rowMinutes(start, end);
  const now = lines.audience.length ? lines.audience[lines.audience.length - 1].v : 0;
  const startText = fmt.time(start);
  const audience = {
    id: `chart-sitting-${id}-audience`, start, end, title: t('chart_audience_title'),
    desc: lines.peak
      ? t('chart_audience_desc', { start: startText, now: fmt.number(now), peak: fmt.number(lines.peak.v), time: fmt.time(lines.peak.t) })
      : t('chart_audience_desc_none', { start: startText }),
    series: [{ key: 'audience', label: t('stat_viewers'), points: lines.audience, area: true, step: true }],
    marker: lines.peak ? { ...lines.peak, label: t('chart_peak_label', { n: fmt.number(lines.peak.v), time: fmt.time(lines.peak.t) }) } : null,
    head: [t('chart_col_time'), t('chart_col_audience')],
    rows: tableRows(lines.audience, { minutes, reduce: 'max' }).map((r) => [fmt.time(r.t), fmt.number(r.v)]),
    note: minutes > 1 ? t('chart_table_note', { n: minutes }) : '',
  };
  const last = (key) => (lines[key].length ? lines[key][lines[key].length - 1].v : 0);
  const byRow = (key) => new Map(tableRows(lines[key], { minutes, reduce: 'last' }).map((r) => [r.t, r.v]));
  const submitted = byRow('submitted'), approved = byRow('approved'), answered = byRow('answered');
  const questions = {
    id: `chart-sitting-${id}-questions`, start, end, title: t('chart_questions_title'),
    desc: t('chart_questions_desc', {
      start: startText, submitted: fmt.number(last('submitted')), approved: fmt.number(last('approved')), answered: fmt.number(last('answered')),
    }),
    series: [
      { key: 'submitted', label: t('stat_submitted'), points: lines.submitted, step: true },
      { key: 'approved', label: t('stat_approved'), points: lines.approved, step: true },
      { key: 'answered', label: t('stat_answered'), points: lines.answered, step: true },
    ],
    head: [t('chart_col_time'), t('stat_submitted'), t('stat_approved'), t('stat_answered')],
    rows: [...submitted.keys()].map((k) => [fmt.time(k), fmt.number(submitted.get(k)), fmt.number(approved.get(k) ?? 0), fmt.number(answered.get(k) ?? 0)]),
    note: minutes > 1 ? t('chart_table_note', { n: minutes }) : '',
  };
  return { audience, questions };
}

/**
 * The cartogram's model: description, legend and table rows (every constituency with signatures, most first; those
 * the map has no hexagon for are marked). `map` is parseHexJson's answer or null (then only the table).
 */
export function mapModel({ map, areas, names = { constituencies: new Map(), regions: new Map() }, t, fmt }) {
  const counts = areas.constituencies;
  const onMap = new Set(map ? map.hexes.map((h) => h.code) : []);
  const hexNames = new Map(map ? map.hexes.map((h) => [h.code, h]) : []);
  const rows = [...counts.entries()].filter(([, n]) => n > 0).map(([code, n]) => {
    const hex = hexNames.get(code);
    const region = hex?.region ?? null;
    return {
      code, count: n, name: hex?.name ?? names.constituencies?.get(code)?.name ?? code, onMap: onMap.has(code),
      region: region ? (names.regions?.get(region)?.name ?? region) : '',
    };
  }).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const shown = rows.filter((r) => r.onMap);
  const total = shown.reduce((s, r) => s + r.count, 0);
  const desc = shown.length
    ? t('map_desc', { total: fmt.number(total), areas: fmt.number(shown.length), name: shown[0].name, count: fmt.number(shown[0].count) })
    : t('map_desc_none');
  return { rows, desc, title: t('map_title') };
}

// ---------- DOM ----------

function chartFigure(doc, { id, legend = false, caption }) {
  return h(doc, 'figure', { className: 'chart', attrs: { id: `${id}-figure` } },
    h(doc, 'figcaption', { className: 'chart__caption', text: caption }),
    legend ? h(doc, 'ul', { className: 'chart__legend' }) : null,
    h(doc, 'div', { className: 'chart__plot' }),
    h(doc, 'details', { className: 'details chart__details' },
      h(doc, 'summary', { className: 'details__summary' }),
      h(doc, 'div', { className: 'table-wrap' },
        h(doc, 'table', { className: 'table chart__table' },
          h(doc, 'caption', { className: 'table__caption' }),
          h(doc, 'thead', {}, h(doc, 'tr', {})),
          h(doc, 'tbody', {}))),
      h(doc, 'p', { className: 'chart__note' })));
}

const drawnKeys = new WeakMap(); // figure -> what it was last drawn from

/** Fills a figure made by chartFigure with a model (svg at the plot's width, legend, table). */
function fillFigure(doc, figure, model, { t, fmt }) {
  const plot = figure.querySelector('.chart__plot');
  const width = Math.max(200, Math.round(plot.clientWidth || 600));
  // Tallies come every second: draw again only when the figures, the minute or the width changed (an open table is
  // not rebuilt under a reader's eyes for nothing).
  const key = JSON.stringify([width, Math.floor(model.end / 60_000), model.desc, model.rows]);
  if (drawnKeys.get(figure) === key) return;
  drawnKeys.set(figure, key);
  figure.querySelector('.chart__caption').textContent = model.title;
  plot.replaceChildren(renderSvg(doc, lineChart({
    ...model, width, height: width < 420 ? 180 : CHART_HEIGHT, formatTime: fmt.time, formatValue: fmt.number,
    emptyText: t('chart_no_data'),
  })));
  const legend = figure.querySelector('.chart__legend');
  if (legend) {
    legend.replaceChildren(...model.series.map((s) => h(doc, 'li', { className: 'chart__legend-item' },
      h(doc, 'span', { className: `chart__swatch chart__swatch--${s.key}`, attrs: { 'aria-hidden': 'true' } }), s.label)));
  }
  figure.querySelector('.details__summary').textContent = t('chart_show_data');
  const table = figure.querySelector('.chart__table');
  table.querySelector('caption').textContent = model.title;
  table.querySelector('thead tr').replaceChildren(...model.head.map((text, i) => h(doc, 'th', {
    className: i > 0 ? 'table__num' : '', attrs: { scope: 'col' }, text,
  })));
  table.querySelector('tbody').replaceChildren(...model.rows.map((cells) => h(doc, 'tr', {},
    h(doc, 'th', { attrs: { scope: 'row' }, text: cells[0] }),
    ...cells.slice(1).map((text) => h(doc, 'td', { className: 'table__num', text })))));
  figure.querySelector('.chart__note').textContent = model.note ?? '';
}

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
    mapSection: $('area-map-section'), map: $('area-map'), mapSelect: $('area-map-petition'),
    mapPlot: $('area-map-plot'), mapLegend: $('area-map-legend'), mapBody: $('area-map-body'),
    mapStatus: $('area-map-status'), mapSummary: $('area-map-summary'),
  };
  let state = emptyDashboardState();
  const petitionSeries = new Map(); // id -> series
  const sittingSeries = new Map();
  const requested = new Set();
  let first = true;
  let frame = null;
  let map = null;
  let mapFailed = false;
  let areas = emptyAreas();
  let names = { countries: new Map(), constituencies: new Map(), regions: new Map() };
  let namesFetchedAt = null;
  let namesInFlight = false;
  let mapPetition = null;
  let mapKey = '';
  let stopAreas = null;

  const stat = (label, key) => h(doc, 'div', { className: 'stats__item' },
    h(doc, 'dt', { className: 'stats__label', text: label }),
    h(doc, 'dd', { className: 'stats__value', dataset: { stat: key } }));
  const setStat = (card, key, value) => {
    const dd = card.querySelector(`[data-stat="${key}"]`);
    const text = fmt.number(Number.isFinite(value) ? value : 0);
    if (dd && dd.textContent !== text) dd.textContent = text;
  };

  async function getJson(url) {
    const response = await fetchImpl(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  function createSitting(s) {
    return h(doc, 'li', { className: 'dash-card dash-card--sitting', dataset: { sittingId: s.id } },
      h(doc, 'h3', { className: 'dash-card__title' }, h(doc, 'a', { className: 'link', attrs: { href: `/sittings/${s.id}` } })),
      h(doc, 'p', { className: 'dash-card__state' }, h(doc, 'span', { className: 'tag' })),
      h(doc, 'dl', { className: 'stats' },
        stat(t('stat_viewers'), 'viewers'),
        stat(t('stat_peak'), 'peak_viewers'),
        stat(t('stat_submitted'), 'submitted'),
        stat(t('stat_approved'), 'approved'),
        stat(t('stat_answered'), 'answered')),
      h(doc, 'div', { className: 'dash-card__charts' },
        chartFigure(doc, { id: `chart-sitting-${s.id}-audience`, caption: t('chart_audience_title') }),
        chartFigure(doc, { id: `chart-sitting-${s.id}-questions`, caption: t('chart_questions_title'), legend: true })));
  }

  function updateSitting(card, s) {
    card.dataset.state = s.state ?? '';
    card.querySelector('.dash-card__title a').textContent = s.title ?? '';
    const tag = card.querySelector('.dash-card__state .tag');
    tag.className = `tag tag--${s.state}`;
    tag.textContent = sittingStateText(t, s.state);
    setStat(card, 'viewers', s.viewers);
    setStat(card, 'peak_viewers', s.peak_viewers);
    setStat(card, 'submitted', s.questions?.submitted);
    setStat(card, 'approved', s.questions?.approved);
    setStat(card, 'answered', s.questions?.answered);
    const models = sittingChartModels({ id: s.id, series: sittingSeries.get(s.id) ?? emptySittingSeries(), nowMs: chartNow(), t, fmt });
    fillFigure(doc, card.querySelector(`#chart-sitting-${s.id}-audience-figure`), models.audience, { t, fmt });
    fillFigure(doc, card.querySelector(`#chart-sitting-${s.id}-questions-figure`), models.questions, { t, fmt });
  }

  function createPetition(p) {
    const id = p.id;
    return h(doc, 'li', { className: 'dash-card dash-card--petition', dataset: { petitionId: id } },
      h(doc, 'h3', { className: 'dash-card__title' }, h(doc, 'a', { className: 'link', attrs: { href: `/petitions/${id}` } })),
      h(doc, 'p', { className: 'tag dash-card__state', attrs: { hidden: '' } }),
      h(doc, 'dl', { className: 'stats' },
        stat(t('stat_signatures'), 'signature_count'),
        stat(t('stat_per_minute'), 'per_minute')),
      h(doc, 'ul', { className: 'dash-thresholds' }),
      chartFigure(doc, { id: `chart-petition-${id}`, caption: t('chart_signatures_title') }));
  }

  function updatePetition(card, p) {
    card.querySelector('.dash-card__title a').textContent = p.action ?? '';
    // Not `state`: that name is the page's dashboard state.
    const stateTag = card.querySelector('.dash-card__state');
    const closed = typeof p.state === 'string' && p.state !== 'open';
    stateTag.hidden = !closed;
    stateTag.textContent = closed ? (t.has(`petition_state_${p.state}`) ? t(`petition_state_${p.state}`) : p.state) : '';
    setStat(card, 'signature_count', p.signature_count);
    setStat(card, 'per_minute', p.per_minute);
    const thresholds = Array.isArray(p.thresholds) ? p.thresholds : [];
    reconcileList(card.querySelector('.dash-thresholds'), thresholds, {
      key: (th) => th.name,
      create: (th) => {
        const barId = `dash-${p.id}-threshold-${th.name}`;
        return h(doc, 'li', { className: 'threshold' },
          h(doc, 'label', { className: 'threshold__label', attrs: { for: barId } }),
          h(doc, 'progress', { className: 'threshold__bar', attrs: { id: barId, max: 100, value: 0 }, dataset: { threshold: th.name } }),
          h(doc, 'p', { className: 'threshold__status' }));
      },
      update: (li, th) => {
        const reached = Boolean(th.reached_at);
        const percent = reached ? 100 : thresholdProgress(p.signature_count, th.signatures);
        li.classList.toggle('threshold--reached', reached);
        li.querySelector('.threshold__label').textContent = t('threshold_label', {
          name: t.has(`threshold_${th.name}`) ? t(`threshold_${th.name}`) : th.name,
          n: fmt.number(th.signatures ?? 0),
        });
        const bar = li.querySelector('progress');
        bar.value = percent;
        bar.setAttribute('value', String(percent));
        bar.textContent = `${percent}%`;
        li.querySelector('.threshold__status').textContent = reached ? t('threshold_reached') : t('threshold_percent', { n: percent });
      },
    });
    const model = petitionChartModel({ id: p.id, series: petitionSeries.get(p.id) ?? emptyPetitionSeries(), nowMs: chartNow(), t, fmt });
    fillFigure(doc, card.querySelector(`#chart-petition-${p.id}-figure`), model, { t, fmt });
  }

  function chartNow() {
    const at = state.at ? Date.parse(state.at) : Number.NaN;
    return Number.isNaN(at) ? now() : at;
  }

  // ---------- the map ----------

  function renderMap() {
    if (!el.map || !el.mapSelect) return;
    const petitions = state.petitions;
    el.mapSection.hidden = petitions.length === 0;
    reconcileList(el.mapSelect, petitions, {
      key: (p) => p.id,
      create: (p) => h(doc, 'option', { attrs: { value: p.id } }),
      update: (option, p) => {
        const text = p.action ?? `#${p.id}`;
        if (option.textContent !== text) option.textContent = text;
      },
    });
    if (mapPetition === null || !petitions.some((p) => p.id === mapPetition)) {
      // The busiest open petition, else the first.
      const open = petitions.filter((p) => p.state === 'open');
      const chosen = [...(open.length ? open : petitions)].sort((a, b) => (b.signature_count ?? 0) - (a.signature_count ?? 0))[0];
      if (chosen) choosePetition(chosen.id);
    }
    if (mapPetition !== null && el.mapSelect.value !== String(mapPetition)) el.mapSelect.value = String(mapPetition);
    el.map.hidden = false;
    const width = Math.max(200, Math.min(640, Math.round(el.mapPlot.clientWidth || 480)));
    // Drawn again only when something it shows changed (tallies come every second).
    const key = JSON.stringify([width, mapPetition, Boolean(map), mapFailed, [...areas.constituencies], [...names.regions.keys()], [...names.constituencies.keys()]]);
    if (key === mapKey) return;
    mapKey = key;
    const model = mapModel({ map, areas, names, t, fmt });
    if (map) {
      const drawn = cartogram({ id: 'area-map-svg', map, counts: areas.constituencies, width, title: model.title, desc: model.desc, formatValue: fmt.number });
      el.mapPlot.replaceChildren(renderSvg(doc, drawn.svg));
      el.mapLegend.replaceChildren(
        h(doc, 'li', { className: 'chart__legend-item' }, h(doc, 'span', { className: 'cartogram__swatch cartogram__swatch--0', attrs: { 'aria-hidden': 'true' } }), t('map_legend_none')),
        ...legendSteps(drawn.bounds).map((step) => h(doc, 'li', { className: 'chart__legend-item' },
          h(doc, 'span', { className: `cartogram__swatch cartogram__swatch--${step.k}`, attrs: { 'aria-hidden': 'true' } }),
          step.from === step.to ? fmt.number(step.to) : `${fmt.number(step.from)}–${fmt.number(step.to)}`)));
    }
    if (el.mapStatus) {
      el.mapStatus.hidden = !mapFailed;
      el.mapStatus.textContent = mapFailed ? t('map_unavailable') : '';
    }
    if (el.mapSummary) el.mapSummary.textContent = t('chart_show_data');
    el.mapBody.replaceChildren(...model.rows.map((r) => h(doc, 'tr', { dataset: { code: r.code, count: r.count } },
      h(doc, 'th', { attrs: { scope: 'row' }, text: r.onMap ? r.name : `${r.name} (${t('map_off_map')})` }),
      h(doc, 'td', { text: r.region }),
      h(doc, 'td', { className: 'table__num', text: fmt.number(r.count) }))));
  }

  function choosePetition(id) {
    if (id === mapPetition) return;
    stopAreas?.();
    mapPetition = id;
    areas = emptyAreas();
    namesFetchedAt = null;
    stopAreas = live.subscribe(petitionAreasTopic(id), {
      onSnapshot(data) { areas = areasFromSnapshot(data); fetchNames(); schedule(); },
      onEvent(name, data) { if (name === 'areas') { areas = applyAreasEvent(areas, data); fetchNames(); schedule(); } },
    });
  }

  /** Region names (and constituency names the map lacks) from the petition's open data, at most once a minute. */
  function fetchNames() {
    const delay = namesRefetchDelay({ unknown: unknownCodes(areas, names).length, lastFetchAt: namesFetchedAt, now: now(), inFlight: namesInFlight });
    if (delay !== 0 || !fetchImpl || mapPetition === null) return;
    namesInFlight = true;
    namesFetchedAt = now();
    const id = mapPetition;
    getJson(`/petitions/${id}.json`)
      .then((json) => { if (id === mapPetition) { names = mergeNames(names, areaNames(json)); schedule(); } })
      .catch((error) => win.console?.warn?.('dashboard: no area names', error))
      .finally(() => { namesInFlight = false; });
  }

  // ---------- render ----------

  function render() {
    frame = null;
    if (first) {
      // The server-rendered cards are simpler than the live ones: start again from the data.
      el.sittings?.replaceChildren();
      el.petitions?.replaceChildren();
      first = false;
    }
    if (el.sittings) reconcileList(el.sittings, state.sittings, { key: (s) => s.id, create: createSitting, update: updateSitting });
    if (el.petitions) reconcileList(el.petitions, state.petitions, { key: (p) => p.id, create: createPetition, update: updatePetition });
    if (el.sittingsEmpty) el.sittingsEmpty.hidden = state.sittings.length > 0;
    if (el.petitionsEmpty) el.petitionsEmpty.hidden = state.petitions.length > 0;
    if (el.updated) {
      const at = state.at ? Date.parse(state.at) : Number.NaN;
      el.updated.hidden = Number.isNaN(at);
      if (!Number.isNaN(at)) el.updated.textContent = t('dashboard_updated', { time: clock.format(at) });
    }
    renderMap();
  }

  function schedule() {
    if (frame !== null) return;
    frame = typeof win.requestAnimationFrame === 'function' ? win.requestAnimationFrame(render) : win.setTimeout(render, 0);
  }

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
  live.subscribe(DASHBOARD_TOPIC, {
    onSnapshot: onTally,
    onEvent(name, data) { if (name === 'tally') onTally(data); },
  });
  el.mapSelect?.addEventListener('change', () => {
    const id = Number(el.mapSelect.value);
    if (Number.isSafeInteger(id)) { choosePetition(id); schedule(); }
  });
  if (el.map && fetchImpl) {
    getJson(MAP_URL).then((json) => { map = parseHexJson(json); mapFailed = map === null; schedule(); })
      .catch(() => { mapFailed = true; schedule(); });
  }
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
