// js/dashboard-models.js: the chart and map models (pure) with the real strings, and the dashboard's template hooks.
// Its other parts and the wiring: tests/dashboard-parts.test.mjs; in a browser, Tests/browser/test_public_displays.py.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { parseHexJson } from '../js/charts.js';
import { emptyAreas } from '../js/area-counts.js';
import { emptyPetitionSeries, emptySittingSeries, withCount, withHistory, withServerSeries, withTally } from '../js/dashboard-series.js';
import { MAP_URL } from '../js/dashboard-map.js';
import { formatters, mapModel, petitionChartModel, sittingChartModels } from '../js/dashboard-models.js';
import { SERIES_URL } from '../js/dashboard-page.js';
import { translator } from '../js/i18n.js';
import * as contexts from './support/contexts.mjs';
import { REPO_ROOT, example } from './support/fakes.mjs';
import { byId, scriptOf } from './support/html.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const strings = (lang) => JSON.parse(readFileSync(join(REPO_ROOT, 'WebClient', 'i18n', `${lang}.json`), 'utf8'));
const t = translator(strings('en'), { lang: 'en-GB', onMissing: (key) => { throw new Error(`missing string ${key}`); } });
const fr = translator(strings('fr'), { lang: 'fr', onMissing: (key) => { throw new Error(`missing string ${key}`); } });
const fmt = { number: (n) => n.toLocaleString('en-GB'), time: (ms) => new Date(ms).toISOString().slice(11, 16) };
const T0 = Date.parse('2026-11-29T14:00:00.000Z');
const MIN = 60_000;
const SAMPLE_MAP = parseHexJson(JSON.parse(readFileSync(join(REPO_ROOT, 'WebClient', 'maps', 'areas.hex.json'), 'utf8')));

describe('petition chart', () => {
  test('three hours of signatures per minute, described in words, with a table of 5-minute rows', () => {
    let series = withHistory(emptyPetitionSeries(), { minute: [{ at: '2026-11-29T13:05:00.000Z', added: 12 }, { at: '2026-11-29T13:59:00.000Z', added: 3 }] });
    series = withCount(series, 100, T0 + 5_000);
    series = withCount(series, 104, T0 + 30_000);
    const model = petitionChartModel({ id: 7, series, nowMs: T0 + 40_000, t, fmt });
    assert.equal(model.id, 'chart-petition-7');
    assert.equal(model.title, 'Signatures per minute, last 3 hours');
    assert.equal(model.desc, 'Signatures per minute from 11:00 to 14:00: 19 in all, 4 in the last minute; the most in one minute was 12 at 13:05.');
    assert.equal(model.series[0].points.length, 181);
    assert.deepEqual(model.head, ['From', 'Signatures']);
    assert.deepEqual(model.rows[0], ['14:00', '4']);
    assert.deepEqual(model.rows.find((r) => r[0] === '13:05'), ['13:05', '12']);
    assert.equal(model.rows.length, 37);
    assert.equal(model.note, 'Each row is 5 minutes.');
  });

  test('no signatures: it says so', () => {
    const model = petitionChartModel({ id: 1, series: emptyPetitionSeries(), nowMs: T0, t, fmt });
    assert.equal(model.desc, 'No signatures from 11:00 to 14:00.');
    assert.match(petitionChartModel({ id: 1, series: emptyPetitionSeries(), nowMs: T0, t: fr, fmt }).desc, /^Aucune signature de 11:00 à 14:00/);
  });
});

describe('sitting charts', () => {
  test('the audience with its peak, and the questions by state, from the example series and a tally', () => {
    const answer = example('http', 'dashboard-series');
    const entry = answer.sittings.find((s) => s.id === 3);
    let series = withServerSeries(emptySittingSeries(), entry);
    const tally = example('server', 'event-tally').data.sittings.find((s) => s.id === 3);
    series = withTally(series, tally, Date.parse(tally ? answer.at : answer.at));
    const { audience, questions } = sittingChartModels({ id: 3, series, nowMs: Date.parse(answer.at), t, fmt });
    assert.equal(audience.marker.v, 240);
    assert.equal(audience.marker.label, 'Peak 240 at 14:12');
    assert.equal(audience.desc, 'Viewers minute by minute since 14:00: 219 now; the peak was 240 at 14:12.');
    assert.equal(audience.series[0].step, true);
    assert.deepEqual(questions.series.map((s) => s.key), ['submitted', 'approved', 'answered']);
    assert.deepEqual(questions.series.map((s) => s.label), ['Waiting', 'Published', 'Answered']);
    assert.equal(questions.desc, 'Questions by state minute by minute since 14:00. Now 1 waiting, 4 published, 1 answered.');
    assert.deepEqual(questions.head, ['From', 'Waiting', 'Published', 'Answered']);
    assert.deepEqual(questions.rows[0], ['14:20', '1', '4', '1']);
    assert.deepEqual(audience.rows.find((r) => r[0] === '14:12'), ['14:12', '240']);
  });

  test('a sitting nobody has watched: no peak, said in words', () => {
    const { audience } = sittingChartModels({ id: 4, series: emptySittingSeries(), nowMs: T0, t, fmt });
    assert.equal(audience.marker, null);
    assert.equal(audience.desc, 'Viewers minute by minute since 13:45: nobody has watched yet.');
    assert.deepEqual(audience.rows, []);
  });
});

describe('map', () => {
  test('rows by signatures with names and regions; codes off the map are marked; the description', () => {
    const areas = { ...emptyAreas(), constituencies: new Map([['E14001172', 5], ['E14001398', 2], ['X99', 9]]) };
    const names = { constituencies: new Map([['X99', { name: 'Elsewhere' }]]), regions: new Map([['E15000007', { name: 'London' }]]) };
    const model = mapModel({ map: SAMPLE_MAP, areas, names, t, fmt });
    assert.deepEqual(model.rows.map((r) => [r.name, r.region, r.count, r.onMap]), [
      ['Elsewhere', '', 9, false], ['Cities of London and Westminster', 'London', 5, true], ['Oxford East', 'E15000008', 2, true],
    ]);
    assert.equal(model.desc, 'A hexagon for each constituency, darker for more signatures. 7 signatures in 2 constituencies on the map; the most in Cities of London and Westminster (5).');
    assert.equal(mapModel({ map: SAMPLE_MAP, areas: emptyAreas(), t, fmt }).desc, 'A hexagon for each constituency. No signatures from these constituencies yet.');
    assert.equal(mapModel({ map: null, areas, t, fmt }).rows.every((r) => !r.onMap), true, 'without a map, the table alone');
  });
});

describe('template and wiring', () => {
  test('formatters: 24-hour times in the page language', () => {
    const en = formatters('en-GB');
    assert.equal(en.number(12466), '12,466');
    assert.match(en.time(Date.UTC(2026, 10, 29, 1, 55)), /^\d\d:\d\d$/, 'no AM/PM');
    assert.equal(MAP_URL, new URL('../js/../maps/areas.hex.json', new URL('../js/dashboard-map.js', import.meta.url)).pathname, 'the map is beside the module, in its version');
    assert.ok(MAP_URL.endsWith('/WebClient/maps/areas.hex.json'), MAP_URL);
    assert.equal(SERIES_URL, '/api/v1/dashboard/series');
  });

  test('the dashboard template: live hooks, each sitting with its state, the map section hidden until the script fills it', async () => {
    const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
    const html = render(templates.dashboard, contexts.dashboardContext(), templates);
    assert.equal(byId(html, 'main').attrs.get('data-topic'), 'dashboard');
    const state = contexts.sampleSitting().state;
    assert.ok(html.includes(`<li class="dash-card dash-card--sitting" data-key="1" data-sitting-id="1" data-state="${state}">`));
    assert.ok(byId(html, 'area-map-section').attrs.has('hidden'));
    assert.ok(byId(html, 'area-map').attrs.has('hidden'));
    assert.equal(byId(html, 'area-map-petition').name, 'select');
    assert.match(html, /<label class="label" for="area-map-petition">Petition<\/label>/);
    assert.ok(byId(html, 'area-map-body'));
    assert.ok(html.includes(scriptOf('dashboard-page.js')));
  });
});
