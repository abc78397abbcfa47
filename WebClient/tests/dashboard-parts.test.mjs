// The dashboard's parts, each alone on the rendered template in a small DOM: dashboard-figure.js (a chart: plot,
// legend, table, drawn again only when it changed), dashboard-cards.js (a sitting's and a petition's card from a
// tally), dashboard-map.js (the cartogram: which petition, its areas topic, the map and names fetched, a failed map
// said), and dashboard-page.js wiring them to a fake socket and fetch (the tally's petitions are shown: issue 12's
// dashboard said "No petitions to show" while one was open). The models: tests/dashboard-page.test.mjs.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';

import { translator } from '../js/i18n.js';
import { dashboardCards } from '../js/dashboard-cards.js';
import { chartFigure, fillFigure } from '../js/dashboard-figure.js';
import { MAP_URL, defaultMapPetition, wireAreaMap } from '../js/dashboard-map.js';
import { petitionChartModel, sittingChartModels } from '../js/dashboard-models.js';
import { SERIES_URL, enhanceDashboardPage } from '../js/dashboard-page.js';
import { emptyPetitionSeries, emptySittingSeries, withCount } from '../js/dashboard-series.js';
import * as contexts from './support/contexts.mjs';
import { FakeEvent, fakeWindow, parseHtml } from './support/fake-dom.mjs';
import { FakeWebSocket, REPO_ROOT, serverExample } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const strings = contexts.strings('en');
const t = translator(strings, { lang: 'en-GB', onMissing: (key) => { throw new Error(`missing string ${key}`); } });
const fmt = { number: (n) => n.toLocaleString('en-GB'), time: (ms) => new Date(ms).toISOString().slice(11, 16) };
const page = () => parseHtml(render(templates.dashboard, contexts.dashboardContext(), templates));
const settle = async () => { for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0)); };
const T0 = Date.parse('2026-11-29T14:20:04.517Z');
const HEX_MAP = JSON.parse(readFileSync(join(REPO_ROOT, 'WebClient', 'maps', 'areas.hex.json'), 'utf8'));
const tally = () => serverExample('event-tally').data;
const AREAS = serverExample('snapshot-petition-areas').data;

describe('dashboard-figure: one chart', () => {
  test('a figure: caption, plot, the table folded under it; the legend only when asked', () => {
    const doc = page();
    const plain = chartFigure(doc, { id: 'chart-x', caption: 'Caption' });
    assert.equal(plain.id, 'chart-x-figure');
    assert.equal(plain.querySelector('figcaption').textContent, 'Caption');
    assert.equal(plain.querySelector('.chart__legend'), null);
    assert.ok(plain.querySelector('details table.chart__table caption'));
    assert.ok(chartFigure(doc, { id: 'chart-y', caption: 'C', legend: true }).querySelector('ul.chart__legend'));
  });

  test('filled from a model: an svg with its title and description, the legend, the table and its note; again only when it changed', () => {
    const doc = page();
    const figure = chartFigure(doc, { id: 'chart-sitting-3-questions', caption: '', legend: true });
    const series = emptySittingSeries();
    const { questions } = sittingChartModels({ id: 3, series, nowMs: T0, t, fmt });
    assert.equal(fillFigure(doc, figure, questions, { t, fmt }), true);
    const svg = figure.querySelector('.chart__plot svg');
    assert.ok(svg, 'the chart is drawn');
    assert.equal(svg.querySelector('title').textContent, questions.title);
    assert.equal(svg.querySelector('desc').textContent, questions.desc, 'the text alternative');
    assert.deepEqual(figure.querySelector('.chart__legend').children.map((li) => li.textContent), ['Waiting', 'Published', 'Answered']);
    assert.deepEqual(figure.querySelectorAll('thead th').map((th) => th.textContent), questions.head);
    assert.equal(figure.querySelector('.details__summary').textContent, strings.chart_show_data);
    assert.equal(fillFigure(doc, figure, questions, { t, fmt }), false, 'the same numbers: not drawn again');
    const petition = petitionChartModel({ id: 1, series: withCount(withCount(emptyPetitionSeries(), 10, T0 - 120_000), 14, T0 - 30_000), nowMs: T0, t, fmt });
    assert.equal(fillFigure(doc, figure, petition, { t, fmt }), true);
    assert.ok(figure.querySelectorAll('tbody tr').length > 0, 'the table has the rows');
    assert.equal(figure.querySelector('tbody tr th').getAttribute('scope'), 'row');
    assert.equal(figure.querySelector('.chart__note').textContent, petition.note);
  });
});

describe('dashboard-cards: a card per sitting and per petition', () => {
  const cards = (doc) => dashboardCards({
    doc, t, fmt,
    sittingModels: (s) => sittingChartModels({ id: s.id, series: emptySittingSeries(), nowMs: T0, t, fmt }),
    petitionModel: (p) => petitionChartModel({ id: p.id, series: emptyPetitionSeries(), nowMs: T0, t, fmt }),
  });

  test('a sitting: link, state in words, the five numbers, its two charts', () => {
    const doc = page();
    const make = cards(doc);
    const live = tally().sittings.find((s) => s.id === 3);
    const card = make.createSitting(live);
    make.updateSitting(card, live);
    assert.equal(card.dataset.sittingId, '3');
    assert.equal(card.dataset.state, 'live');
    assert.equal(card.querySelector('h3 a').getAttribute('href'), '/sittings/3');
    assert.equal(card.querySelector('h3 a').textContent, live.title);
    assert.equal(card.querySelector('.tag').className, 'tag tag--live');
    assert.equal(card.querySelector('.tag').textContent, strings.sitting_state_live);
    const stat = (key) => card.querySelector(`[data-stat="${key}"]`).textContent;
    assert.deepEqual(['viewers', 'peak_viewers', 'submitted', 'approved', 'answered'].map(stat), ['219', '240', '1', '4', '1']);
    assert.ok(card.querySelector('#chart-sitting-3-audience-figure svg'));
    assert.ok(card.querySelector('#chart-sitting-3-questions-figure svg'));
    make.updateSitting(card, { ...live, state: 'ended', viewers: 0 });
    assert.equal(card.dataset.state, 'ended');
    assert.equal(stat('viewers'), '0');
  });

  test('a petition: count, per minute, a bar per threshold (reached or its percent), the closed state shown', () => {
    const doc = page();
    const make = cards(doc);
    const open = tally().petitions[0];
    const card = make.createPetition(open);
    make.updatePetition(card, open);
    assert.equal(card.querySelector('[data-stat="signature_count"]').textContent, '12,473');
    assert.equal(card.querySelector('[data-stat="per_minute"]').textContent, '29');
    assert.equal(card.querySelector('.dash-card__state').hidden, true, 'an open petition shows no state');
    const bars = card.querySelectorAll('progress[data-threshold]');
    assert.deepEqual(bars.map((b) => [b.dataset.threshold, Number(b.value)]), [['response', 100], ['debate', 12]]);
    const items = card.querySelectorAll('li.threshold');
    assert.equal(items[0].classList.contains('threshold--reached'), true);
    assert.equal(items[0].querySelector('.threshold__status').textContent, strings.threshold_reached);
    assert.equal(items[1].querySelector('label').getAttribute('for'), bars[1].id);
    assert.ok(card.querySelector('#chart-petition-1-figure svg'));
    make.updatePetition(card, { ...open, state: 'closed' });
    assert.equal(card.querySelector('.dash-card__state').hidden, false);
    assert.equal(card.querySelector('.dash-card__state').textContent, strings.petition_state_closed);
  });
});

describe('dashboard-map: the cartogram', () => {
  function setUp({ mapAnswer = HEX_MAP, names = {} } = {}) {
    const doc = page();
    const subscribed = [];
    const stopped = [];
    const fetched = [];
    let changes = 0;
    const getJson = async (url) => {
      fetched.push(url);
      if (url === MAP_URL) { if (mapAnswer instanceof Error) throw mapAnswer; return mapAnswer; }
      return names;
    };
    const areaMap = wireAreaMap({
      doc, win: fakeWindow(), t, fmt, getJson, now: () => T0, onChange: () => { changes += 1; },
      subscribe: (topic, handlers) => { subscribed.push({ topic, handlers }); return () => stopped.push(topic); },
    });
    return { doc, areaMap, subscribed, stopped, fetched, changes: () => changes, $: (id) => doc.getElementById(id) };
  }

  test('the busiest open petition is shown; its areas topic is followed; the hexes, legend and table are drawn', async () => {
    const { areaMap, subscribed, fetched, $ } = setUp();
    await settle();
    assert.deepEqual(fetched, [MAP_URL]);
    const petitions = tally().petitions;
    assert.equal(defaultMapPetition(petitions), 2, 'the open one with the most signatures');
    assert.equal(defaultMapPetition([{ id: 5, state: 'closed', signature_count: 9 }, { id: 6, state: 'closed', signature_count: 20 }]), 6);
    areaMap.render(petitions);
    assert.equal($('area-map-section').hidden, false);
    assert.equal($('area-map').hidden, false);
    assert.deepEqual($('area-map-petition').children.map((o) => o.textContent), petitions.map((p) => p.action));
    assert.equal(areaMap.chosen(), 2);
    assert.deepEqual(subscribed.map((s) => s.topic), ['petition:2:areas']);
    subscribed[0].handlers.onSnapshot(AREAS);
    assert.equal(areaMap.render(petitions), true);
    assert.ok($('area-map-plot').querySelector('svg'), 'the cartogram');
    assert.ok($('area-map-legend').children.length >= 2);
    const rows = $('area-map-body').children;
    assert.equal(rows[0].dataset.code, 'E14001290', 'most signatures first');
    assert.equal(rows[0].dataset.count, '632');
    assert.equal(areaMap.render(petitions), false, 'nothing changed: not drawn again');
  });

  test('another petition chosen: the old topic is left, the new one followed', () => {
    const { areaMap, subscribed, stopped, $, changes } = setUp();
    areaMap.render(tally().petitions);
    $('area-map-petition').value = '1';
    $('area-map-petition').dispatchEvent(new FakeEvent('change'));
    assert.deepEqual(stopped, ['petition:2:areas']);
    assert.deepEqual(subscribed.map((s) => s.topic), ['petition:2:areas', 'petition:1:areas']);
    assert.ok(changes() > 0);
    assert.equal(areaMap.chosen(), 1);
  });

  test('a code without a name: the petition\'s open data is read for names; a map that cannot be read is said', async () => {
    const named = setUp({ names: { signatures_by_constituency: [{ ons_code: 'E14009999', name: 'Somewhere New', signature_count: 3 }] } });
    named.areaMap.render(tally().petitions);
    named.subscribed[0].handlers.onSnapshot({ constituencies: { E14009999: 3 } });
    await settle();
    assert.ok(named.fetched.includes('/petitions/2.json'), named.fetched.join());

    const broken = setUp({ mapAnswer: new Error('404') });
    await settle();
    broken.areaMap.render(tally().petitions);
    assert.equal(broken.$('area-map-status').hidden, false);
    assert.equal(broken.$('area-map-status').textContent, strings.map_unavailable);
    assert.equal(broken.$('area-map-plot').querySelector('svg'), null);
  });

  test('no map on the page: nothing to wire; no petition: the section stays hidden', () => {
    assert.equal(wireAreaMap({ doc: parseHtml('<main id="main"></main>'), win: fakeWindow(), t, fmt, subscribe: () => () => {} }), null);
    const { areaMap, $ } = setUp();
    areaMap.render([]);
    assert.equal($('area-map-section').hidden, true);
  });
});

describe('dashboard-page: the wiring', () => {
  const opened = [];
  afterEach(() => { for (const p of opened.splice(0)) p?.live?.close(); });

  function setUp() {
    FakeWebSocket.reset();
    const doc = page();
    const win = fakeWindow();
    const fetched = [];
    const fetchImpl = async (url) => {
      fetched.push(url);
      const body = url === MAP_URL ? HEX_MAP : url === SERIES_URL ? { at: '2026-11-29T14:20:00.000Z', sittings: [] } : { minute: [] };
      return { ok: true, status: 200, json: async () => body };
    };
    const dashboard = enhanceDashboardPage({ doc, win, WebSocketImpl: FakeWebSocket, fetchImpl, now: () => T0 });
    opened.push(dashboard);
    const socket = FakeWebSocket.last;
    socket.serverOpen();
    socket.serverSend(serverExample('welcome'));
    return { doc, win, socket, fetched, dashboard, $: (id) => doc.getElementById(id) };
  }

  test('the tally fills the cards: the open petitions are shown with their counts (not "No petitions to show")', async () => {
    const { socket, win, fetched, $ } = setUp();
    socket.serverSend({ type: 'snapshot', topic: 'dashboard', epoch: 'e1', offset: 1, data: tally() });
    win.runTimers();
    const petitions = $('dashboard-petitions').children;
    assert.deepEqual(petitions.map((li) => li.dataset.petitionId), ['1', '2']);
    assert.equal($('dashboard-petitions-empty').hidden, true);
    assert.equal(petitions[0].querySelector('[data-stat="signature_count"]').textContent, new Intl.NumberFormat('en').format(12473));
    assert.deepEqual($('dashboard-sittings').children.map((li) => li.dataset.sittingId), ['2', '3', '4']);
    assert.equal($('dashboard-updated').hidden, false);
    await settle();
    assert.ok(fetched.includes('/petitions/1/history.json') && fetched.includes('/petitions/2/history.json'), 'each petition\'s history, once');
    assert.equal(fetched.filter((u) => u === SERIES_URL).length, 1);
    assert.ok(socket.messages.some((m) => m.type === 'subscribe' && m.topics.includes('petition:2:areas')), 'the map follows the busiest petition');
  });

  test('a tally event updates the same cards in place; a petition gone leaves', () => {
    const { socket, win, $ } = setUp();
    socket.serverSend({ type: 'snapshot', topic: 'dashboard', epoch: 'e1', offset: 1, data: tally() });
    win.runTimers();
    const first = $('dashboard-petitions').children[0];
    const next = tally();
    next.petitions = [{ ...next.petitions[0], signature_count: 12500 }];
    socket.serverSend({ type: 'event', topic: 'dashboard', epoch: 'e1', offset: 2, event: 'tally', data: next });
    win.runTimers();
    assert.equal($('dashboard-petitions').children.length, 1);
    assert.equal($('dashboard-petitions').children[0], first, 'the same card');
    assert.equal(first.querySelector('[data-stat="signature_count"]').textContent, new Intl.NumberFormat('en').format(12500));
  });
});
