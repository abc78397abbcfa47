// The petition page's parts, each alone: petition-count.js (pure: counts and thresholds), petition-view.js (the
// count, the bars and the closed notice drawn on the rendered template in a small DOM), sign-form.js (the form sent
// with a fake fetch: outcomes, field errors, refusals in the page's words, the offline and no-answer paths) and
// petition-areas.js (the area tables from the areas topic, names from the page).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { translator } from '../js/i18n.js';
import { enhanceAreas, readJsonBlock } from '../js/petition-areas.js';
import { liveCount, nextCount, thresholdPercent, thresholdReached, thresholdsFromSnapshot, thresholdView } from '../js/petition-count.js';
import { renderCount, renderStateNotice, renderStatus, renderThresholds } from '../js/petition-view.js';
import { SIGN_FIELDS, enhanceSignForm } from '../js/sign-form.js';
import * as contexts from './support/contexts.mjs';
import { FakeEvent, fakeWindow, parseHtml } from './support/fake-dom.mjs';
import { REPO_ROOT } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const en = translator(contexts.strings('en'), { lang: 'en' });
const fr = translator(contexts.strings('fr'), { lang: 'fr' });
const format = (n) => new Intl.NumberFormat('en').format(n);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const petitionPage = (overrides = {}) => {
  const doc = parseHtml(render(templates.petition, contexts.petitionContext(overrides), templates));
  const form = doc.getElementById('sign-form');
  // The small DOM has no form.elements: the named fields, as the browser gives them.
  if (form) form.elements = { namedItem: (name) => form.querySelector(`[name="${name}"]`) };
  return doc;
};

describe('petition-count: which count, how far', () => {
  test('counts: the live topic may go down, other sources only up', () => {
    assert.equal(liveCount(10, 8), 8);
    assert.equal(liveCount(10, -1), 10);
    assert.equal(nextCount(10, 8), 10);
    assert.equal(nextCount(10, 12), 12);
    assert.equal(thresholdPercent(50, 200), 25);
    assert.equal(thresholdPercent(500, 200), 100);
  });

  test('thresholds from a snapshot and a threshold event', () => {
    assert.equal(thresholdsFromSnapshot({}), null);
    const map = thresholdsFromSnapshot({ thresholds: [{ name: 'response', signatures: 100, reached_at: null }, { name: 'bad' }] });
    assert.deepEqual([...map.keys()], ['response']);
    assert.deepEqual(thresholdView(map.get('response'), 40), { reached: false, percent: 40 });
    const reached = thresholdReached(map.get('response'), { name: 'response', reached_at: '2026-11-29T14:00:00Z' });
    assert.deepEqual(reached, { signatures: 100, reachedAt: '2026-11-29T14:00:00Z' });
    assert.deepEqual(thresholdView(reached, 40), { reached: true, percent: 100 });
    assert.equal(thresholdReached(undefined, {}, new Date('2026-11-29T15:00:00Z')).reachedAt, '2026-11-29T15:00:00.000Z');
  });
});

describe('petition-view: what the live state draws', () => {
  test('the count, its unit, the bars and their status lines', () => {
    const doc = petitionPage();
    renderCount(doc, 1, { t: en, format });
    assert.equal(doc.getElementById('signature-count').textContent, '1');
    assert.equal(doc.getElementById('signature-count').getAttribute('value'), '1');
    renderCount(doc, 5000, { t: fr, format });
    assert.equal(doc.getElementById('signature-count').textContent, '5,000');
    renderThresholds(doc, new Map([['response', { signatures: 10000, reachedAt: null }]]), 5000, en);
    const bar = doc.getElementById('threshold-response');
    assert.equal(bar.getAttribute('value'), '50');
    assert.equal(doc.querySelector('[data-threshold-status="response"]').textContent, '50% of the way there');
    renderThresholds(doc, new Map([['response', { signatures: 10000, reachedAt: '2026-11-29T14:00:00Z' }]]), 5000, en);
    assert.ok(doc.querySelector('[data-threshold-item="response"]').classList.contains('threshold--reached'));
  });

  test('the connection line', () => {
    const doc = petitionPage();
    const status = doc.getElementById('live-status');
    renderStatus(status, 'live', fr);
    assert.equal(status.dataset.state, 'live');
    assert.equal(status.textContent, contexts.strings('fr').petition_status_live);
  });

  test('closed while open on screen: the form goes, a notice says why, focus follows; open again brings it back', () => {
    const doc = petitionPage();
    const form = doc.getElementById('sign-form');
    doc.getElementById('sign-name').focus();
    renderStateNotice(doc, 'closed', null, en);
    assert.equal(form.hidden, true);
    const box = doc.getElementById('sign-closed');
    assert.equal(box.dataset.state, 'closed');
    assert.match(box.textContent, /This petition is closed/);
    assert.equal(doc.activeElement, box);
    assert.equal(doc.getElementById('petition-state').textContent, 'Closed');
    renderStateNotice(doc, 'open', null, en);
    assert.equal(form.hidden, false);
    assert.equal(doc.getElementById('sign-closed'), null);
  });
});

describe('sign-form: the signature sent with fetch', () => {
  function setUp(respond, { entries = [['name', 'Ada'], ['email', 'ada@example.org'], ['postcode', ''], ['country', 'GB']], online = true, t = en } = {}) {
    const doc = petitionPage();
    const win = fakeWindow();
    win.navigator = { onLine: online };
    const posted = [];
    win.HTMLFormElement = { prototype: { submit() { posted.push(this); } } };
    const calls = [];
    const counts = [];
    const fetchImpl = async (url, init) => {
      calls.push({ url, init });
      return respond(url, init);
    };
    enhanceSignForm({ doc, win, t, fetchImpl, onCount: (n) => counts.push(n), formEntries: () => entries });
    return { doc, calls, counts, posted };
  }
  const answer = (status, body) => ({ ok: status >= 200 && status < 300, status, json: async () => body, headers: { get: () => null } });
  const submit = (doc) => doc.getElementById('sign-form').dispatchEvent(new FakeEvent('submit'));

  test('counted: posted as JSON without empty optional fields, thanks shown, the count fetched again', async () => {
    const { doc, calls, counts } = setUp((url) => (url.endsWith('count.json') ? answer(200, { signature_count: 1300 }) : answer(201, { id: 3 })));
    submit(doc);
    await settle(); await settle(); await settle();
    assert.equal(calls[0].url, '/api/v1/petitions/1/signatures');
    assert.deepEqual(JSON.parse(calls[0].init.body), { name: 'Ada', email: 'ada@example.org', country: 'GB' });
    const result = doc.getElementById('sign-result');
    assert.equal(result.dataset.outcome, 'counted');
    assert.match(result.textContent, /Thank you, Ada\./);
    assert.ok(calls.some((c) => c.url === '/petitions/1/count.json'));
    assert.deepEqual(counts, [1300]);
  });

  test('waiting for the emailed link: says so, and the count is not fetched', async () => {
    const { doc, calls } = setUp(() => answer(202, { state: 'pending_confirmation' }));
    submit(doc);
    await settle(); await settle();
    assert.equal(doc.getElementById('sign-result').dataset.outcome, 'pending_confirmation');
    assert.equal(calls.length, 1);
  });

  test('field errors from the server (in the request language) tied to their fields, with a summary', async () => {
    const { doc } = setUp(() => answer(422, { error: { code: 'invalid_input', message: 'Certains champs ne sont pas valides.', fields: { email: 'Saisissez une adresse e-mail au bon format.' } } }), { t: fr });
    submit(doc);
    await settle(); await settle();
    const email = doc.getElementById('sign-email');
    assert.equal(email.getAttribute('aria-invalid'), 'true');
    assert.match(doc.getElementById('sign-email-error').textContent, /au bon format/);
    const links = doc.getElementById('sign-result').querySelectorAll('a');
    assert.ok(links.some((a) => (a.getAttribute('href') ?? a.href) === '#sign-email'), 'the summary links to the field');
  });

  test('a refusal the page knows is said in its words', async () => {
    const { doc } = setUp(() => answer(409, { error: { code: 'household_limit', message: 'Two people have already signed' } }), { t: fr });
    submit(doc);
    await settle(); await settle();
    assert.match(doc.getElementById('sign-result').textContent, new RegExp(contexts.strings('fr').sign_error_household.slice(0, 30)));
  });

  test('offline: says it was not sent; no answer while online: the normal post goes', async () => {
    const offline = setUp(() => { throw new TypeError('Failed to fetch'); }, { online: false });
    submit(offline.doc);
    await settle(); await settle();
    assert.match(offline.doc.getElementById('sign-result').textContent, /offline/);
    assert.equal(offline.posted.length, 0);
    const online = setUp(() => { throw new TypeError('Failed to fetch'); });
    submit(online.doc);
    await settle(); await settle();
    assert.equal(online.posted.length, 1);
  });

  test('its fields, and nothing to wire without a form or fetch', () => {
    assert.deepEqual([...SIGN_FIELDS], ['name', 'email', 'postcode', 'country']);
    assert.equal(enhanceSignForm({ doc: parseHtml('<main></main>'), win: fakeWindow(), t: en, fetchImpl: async () => ({}) }), null);
    assert.equal(enhanceSignForm({ doc: petitionPage(), win: fakeWindow(), t: en }), null);
  });
});

describe('petition-areas: the tables from the areas topic', () => {
  test('a snapshot fills the tables with the names the page carries, and an event updates them; no code shown while names load', () => {
    const names = { data: { attributes: {
      signatures_by_region: [{ name: 'London', ons_code: 'E15000007', signature_count: 3 }],
      signatures_by_constituency: [{ name: 'Holborn and St Pancras', ons_code: 'E14000750', mp: 'A Member', signature_count: 3 }],
    } } };
    const doc = parseHtml(render(templates.petition, { ...contexts.petitionContext(), area_names_json: JSON.stringify(names) }, templates));
    assert.equal(readJsonBlock(doc, 'hc-area-names').data.attributes.signatures_by_region[0].name, 'London');
    const handlers = {};
    const live = { subscribe: (topic, h) => { handlers[topic] = h; return () => {}; } };
    const fetched = [];
    enhanceAreas({
      doc, win: fakeWindow(), t: en, live, fetchImpl: async (url) => { fetched.push(url); return { ok: false }; },
      section: doc.getElementById('areas'), petitionId: '1', format,
    });
    const areas = handlers['petition:1:areas'];
    assert.ok(areas, 'subscribed to the areas topic');
    areas.onSnapshot({ regions: { E15000007: 3 }, constituencies: { E14000750: 3 } });
    const row = doc.querySelector('#areas-regions-body tr[data-code="E15000007"]');
    assert.equal(row.querySelector('.areas__name').textContent, 'London');
    assert.equal(doc.getElementById('areas').hidden, false);
    areas.onEvent('areas', { regions: { E15000007: 5 }, constituencies: { E14000750: 5 } });
    assert.equal(doc.querySelector('#areas-regions-body tr[data-code="E15000007"]').dataset.count, '5');
    assert.deepEqual(fetched, [], 'the names were in the page: nothing fetched');
  });

  test('an area new since the page was rendered shows the name its event carries at once; without one it is fetched', async () => {
    const names = { data: { attributes: { signatures_by_region: [{ name: 'London', ons_code: 'E15000007', signature_count: 3 }] } } };
    const doc = parseHtml(render(templates.petition, { ...contexts.petitionContext(), area_names_json: JSON.stringify(names) }, templates));
    const handlers = {};
    const win = fakeWindow();
    const fetched = [];
    enhanceAreas({
      doc, win, t: en, live: { subscribe: (topic, h) => { handlers[topic] = h; return () => {}; } },
      fetchImpl: async (url) => { fetched.push(url); return { ok: false }; },
      section: doc.getElementById('areas'), petitionId: '1', format,
    });
    const areas = handlers['petition:1:areas'];
    areas.onSnapshot({ countries: {}, constituencies: {}, regions: { E15000007: 3 }, petition_id: 1 });
    areas.onEvent('areas', {
      countries: {}, constituencies: { S14000021: 1 }, regions: { S15000001: 1 }, petition_id: 1,
      names: { countries: {}, constituencies: { S14000021: { name: 'Edinburgh South', mp: 'Member for Edinburgh South' } }, regions: { S15000001: { name: 'Scotland' } } },
    });
    const row = (kind, code) => doc.querySelector(`#areas-${kind}-body tr[data-code="${code}"]`);
    assert.equal(row('regions', 'S15000001').querySelector('.areas__name').textContent, 'Scotland');
    assert.equal(row('constituencies', 'S14000021').querySelector('.areas__name').textContent, 'Edinburgh South');
    assert.equal(row('constituencies', 'S14000021').querySelector('.areas__mp').textContent, 'Member for Edinburgh South');
    win.runTimers();
    await Promise.resolve();
    assert.deepEqual(fetched, [], 'every area has its name: nothing fetched');

    areas.onEvent('areas', { countries: {}, constituencies: {}, regions: { W15000001: 1 }, petition_id: 1 }); // no names (over the bound)
    assert.equal(row('regions', 'W15000001').querySelector('.areas__name').textContent, 'W15000001', 'the code until its name comes');
    win.runTimers();
    await Promise.resolve();
    assert.deepEqual(fetched, ['/petitions/1.json'], 'a code without a name is fetched');
  });
});
