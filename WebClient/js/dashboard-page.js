// The live dashboard (templates/dashboard.mustache, GET /dashboard). Without JavaScript it lists the sittings with
// their viewers and the petitions with their counts at page load. With it, the `dashboard` topic's snapshot and
// conflated `tally` events (Protocol/HEARINGS.md §5) drive per-sitting audience and question counts, and
// per-petition counts, signatures per minute, threshold progress and a chart of the last ten minutes (inline SVG
// built here, with a data table as its text alternative). Nothing is announced: the numbers change too often.
//
// DOM hooks: #main[data-topic="dashboard"], #live-status, #dashboard-updated, ul#dashboard-sittings >
// li[data-sitting-id] [data-stat], ul#dashboard-petitions > li[data-petition-id] [data-stat], progress[data-threshold],
// svg.chart__svg path.chart__line, table.chart__table.

import { DASHBOARD_TOPIC } from './constants.js';
import {
  CHART_WINDOW_MS, applyTally, chartPath, emptyDashboardState, minuteTable, recentSamples, thresholdProgress,
} from './dashboard-state.js';
import { connectionTexts, h, liveUrl, reconcileList, showConnection, wireLifecycle } from './dom.js';
import { isPage, sittingStateText } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { LiveSocket } from './live-socket.js';

const SVG = 'http://www.w3.org/2000/svg';
export const CHART_WIDTH = 300;
export const CHART_HEIGHT = 100;

export function enhanceDashboardPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  now = () => Date.now(),
} = {}) {
  const main = doc.getElementById('main');
  const topic = main?.dataset.topic;
  if (topic !== DASHBOARD_TOPIC) return null;
  const t = pageTranslator(doc);
  const numbers = new Intl.NumberFormat(t.lang);
  const clock = new Intl.DateTimeFormat(t.lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const $ = (id) => doc.getElementById(id);
  const el = {
    status: $('live-status'), updated: $('dashboard-updated'),
    sittings: $('dashboard-sittings'), sittingsEmpty: $('dashboard-sittings-empty'),
    petitions: $('dashboard-petitions'), petitionsEmpty: $('dashboard-petitions-empty'),
  };
  let state = emptyDashboardState();
  let first = true;
  let frame = null;

  const stat = (label, key) => h(doc, 'div', { className: 'stats__item' },
    h(doc, 'dt', { className: 'stats__label', text: label }),
    h(doc, 'dd', { className: 'stats__value', dataset: { stat: key } }));
  const setStat = (card, key, value) => {
    const dd = card.querySelector(`[data-stat="${key}"]`);
    const text = numbers.format(Number.isFinite(value) ? value : 0);
    if (dd && dd.textContent !== text) dd.textContent = text;
  };

  function createSitting(s) {
    return h(doc, 'li', { className: 'dash-card', dataset: { sittingId: s.id } },
      h(doc, 'h3', { className: 'dash-card__title' }, h(doc, 'a', { className: 'link', attrs: { href: `/sittings/${s.id}` } })),
      h(doc, 'p', { className: 'dash-card__state' }, h(doc, 'span', { className: 'tag' })),
      h(doc, 'dl', { className: 'stats' },
        stat(t('stat_viewers'), 'viewers'),
        stat(t('stat_peak'), 'peak_viewers'),
        stat(t('stat_submitted'), 'submitted'),
        stat(t('stat_approved'), 'approved'),
        stat(t('stat_answered'), 'answered')));
  }

  function updateSitting(card, s) {
    card.querySelector('.dash-card__title a').textContent = s.title ?? '';
    const tag = card.querySelector('.dash-card__state .tag');
    tag.className = `tag tag--${s.state}`;
    tag.textContent = sittingStateText(t, s.state);
    setStat(card, 'viewers', s.viewers);
    setStat(card, 'peak_viewers', s.peak_viewers);
    setStat(card, 'submitted', s.questions?.submitted);
    setStat(card, 'approved', s.questions?.approved);
    setStat(card, 'answered', s.questions?.answered);
  }

  function svg(tag, attrs = {}) {
    const node = doc.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    return node;
  }

  function createPetition(p) {
    const id = p.id;
    const chartSvg = svg('svg', {
      class: 'chart__svg', viewBox: `0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`, preserveAspectRatio: 'none',
      role: 'img', 'aria-labelledby': `chart-${id}-title chart-${id}-desc`, focusable: 'false',
    });
    const title = svg('title', { id: `chart-${id}-title` });
    title.textContent = t('chart_title');
    const desc = svg('desc', { id: `chart-${id}-desc` });
    for (const y of [0.25, 0.5, 0.75]) chartSvg.append(svg('line', { class: 'chart__grid', x1: 0, x2: CHART_WIDTH, y1: CHART_HEIGHT * y, y2: CHART_HEIGHT * y }));
    chartSvg.prepend(title, desc);
    chartSvg.append(svg('path', { class: 'chart__area', d: '' }), svg('path', { class: 'chart__line', d: '' }));
    return h(doc, 'li', { className: 'dash-card dash-card--petition', dataset: { petitionId: id } },
      h(doc, 'h3', { className: 'dash-card__title' }, h(doc, 'a', { className: 'link', attrs: { href: `/petitions/${id}` } })),
      h(doc, 'p', { className: 'tag dash-card__state', attrs: { hidden: '' } }),
      h(doc, 'dl', { className: 'stats' },
        stat(t('stat_signatures'), 'signature_count'),
        stat(t('stat_per_minute'), 'per_minute')),
      h(doc, 'ul', { className: 'dash-thresholds' }),
      h(doc, 'figure', { className: 'chart' },
        chartSvg,
        h(doc, 'figcaption', { className: 'chart__caption' }),
        h(doc, 'details', { className: 'details chart__details' },
          h(doc, 'summary', { className: 'details__summary', text: t('chart_show_data') }),
          h(doc, 'table', { className: 'table chart__table' },
            h(doc, 'caption', { className: 'table__caption', text: t('chart_table_caption') }),
            h(doc, 'thead', {}, h(doc, 'tr', {},
              h(doc, 'th', { attrs: { scope: 'col' }, text: t('chart_minutes_ago') }),
              h(doc, 'th', { attrs: { scope: 'col' }, text: t('stat_per_minute') }))),
            h(doc, 'tbody', {})))));
  }

  function updatePetition(card, p) {
    card.querySelector('.dash-card__title a').textContent = p.action ?? '';
    // Not `state`: that name is the page's dashboard state, read below for the chart's samples.
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
          n: numbers.format(th.signatures ?? 0),
        });
        const bar = li.querySelector('progress');
        bar.value = percent;
        bar.setAttribute('value', String(percent));
        bar.textContent = `${percent}%`;
        li.querySelector('.threshold__status').textContent = reached ? t('threshold_reached') : t('threshold_percent', { n: percent });
      },
    });
    const samples = state.history.get(p.id)?.toArray() ?? [];
    const end = state.at ? Date.parse(state.at) : now();
    const chartNow = Number.isNaN(end) ? now() : end;
    const geometry = chartPath(samples, { width: CHART_WIDTH, height: CHART_HEIGHT, windowMs: CHART_WINDOW_MS, now: chartNow });
    card.querySelector('.chart__line').setAttribute('d', geometry.line);
    card.querySelector('.chart__area').setAttribute('d', geometry.area);
    const rows = minuteTable(samples, { now: chartNow });
    const peak = recentSamples(samples, { now: chartNow }).reduce((m, s) => Math.max(m, s.value), 0);
    card.querySelector(`#chart-${p.id}-desc`).textContent = t('chart_desc', {
      now: numbers.format(p.per_minute ?? 0), peak: numbers.format(peak),
    });
    card.querySelector('.chart__caption').textContent = `${t('chart_title')}. ${t('chart_caption', { max: numbers.format(geometry.max) })}`;
    card.querySelector('.chart__table tbody').replaceChildren(...rows.map((r) => h(doc, 'tr', {},
      h(doc, 'td', { text: r.minutesAgo === 0 ? t('chart_this_minute') : t.plural('minutes_ago', r.minutesAgo, { n: r.minutesAgo }) }),
      h(doc, 'td', { text: numbers.format(r.value) }))));
  }

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
  }

  function schedule() {
    if (frame !== null) return;
    frame = typeof win.requestAnimationFrame === 'function' ? win.requestAnimationFrame(render) : win.setTimeout(render, 0);
  }

  const texts = connectionTexts(t);
  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: (s) => showConnection(el.status, s, texts),
  });
  live.subscribe(DASHBOARD_TOPIC, {
    onSnapshot(data) { state = applyTally(state, data, now()); schedule(); },
    onEvent(name, data) {
      if (name !== 'tally') return;
      state = applyTally(state, data, now());
      schedule();
    },
  });
  wireLifecycle(live, { doc, win });
  return { live, getState: () => state };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'dashboard')) {
  enhanceDashboardPage();
}
