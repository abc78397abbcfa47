// The staff signatures page in its parts: signature-integrity-state.js (pure; tests/signature-integrity.test.mjs),
// staff-signatures-view.js (drawing, on the rendered template in a small DOM) and staff-signatures.js (the wiring:
// release, search, the invalidation dialog and its 409 preview_changed, with a fake fetch).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { translator } from '../js/i18n.js';
import { heldList, normaliseInvalidations, previewModel, searchResult } from '../js/signature-integrity-state.js';
import {
  heldFromPage, recordText, renderDialogPreview, renderHeld, renderInvalidations, renderResult, signaturesElements,
} from '../js/staff-signatures-view.js';
import { INVALIDATE_PATH, RELEASE_PATH, SEARCH_PATH, enhanceStaffSignatures } from '../js/staff-signatures.js';
import * as contexts from './support/contexts.mjs';
import { FakeElement, FakeEvent, parseHtml } from './support/fake-dom.mjs';
import { REPO_ROOT } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

// The wiring checks `event.target instanceof Element` (a browser global): here, the small DOM's element class.
globalThis.Element ??= FakeElement;

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const t = translator(contexts.strings('en'), { lang: 'en-GB', onMissing: (key) => { throw new Error(`missing string ${key}`); } });
const format = new Intl.NumberFormat('en-GB').format;
const page = (overrides) => parseHtml(render(templates['staff-signatures'], contexts.staffSignaturesContext(overrides), templates));

const searchAnswer = (total = 2) => ({
  condition: 'email domain spam1.example, states pending/counted/held',
  preview: { total, counted: total - 1, petitions: [{ petition_id: 1, counted: total - 1, pending: 0, held: 1 }] },
  signatures: [
    { id: 3, petition_id: 1, name: 'T 3', email: 't3@spam1.example', postcode: 'SW1A 1AA', country: 'GB', constituency: 'E14001172', ip: '127.0.0.1', state: 'held', created_at: '2026-11-29T17:00:13.408Z' },
    { id: 1, petition_id: 1, name: 'T 1', email: 't1@spam1.example', postcode: null, country: 'GB', constituency: null, ip: null, state: 'counted', created_at: '2026-11-29T17:00:13.364Z' },
  ],
  listed_at_most: 200,
});
const record = { id: 9, at: '2026-11-29T18:00:00.000Z', reason: 'A bot farm', condition: 'email domain spam1.example', changed: { total: 2, counted: 1, petitions: [] } };

describe('staff-signatures-view: drawing', () => {
  test('the held list read from the page, then redrawn: counts, a busy item, the empty note', () => {
    const doc = page();
    const el = signaturesElements(doc);
    const ctx = { doc, t, format };
    const held = heldFromPage(el);
    assert.deepEqual(held.map((item) => [item.petition_id, item.held]), [[1, 3], [7, 1]]);
    renderHeld(el, heldList([{ petition_id: 7, held: 1200 }, { petition_id: 8, held: 2 }]), new Set([8]), ctx);
    const items = el.heldList.querySelectorAll('li[data-petition-id]');
    assert.deepEqual(items.map((li) => [li.dataset.petitionId, li.dataset.held]), [['7', '1200'], ['8', '2']]);
    assert.equal(items[0].querySelector('.held-item__number').textContent, '1,200');
    assert.equal(items[1].getAttribute('aria-busy'), 'true');
    assert.ok(items[1].querySelectorAll('button[data-action]').every((b) => b.disabled), 'a petition being released cannot be released twice');
    assert.equal(items[1].querySelector('button[data-action=release]').getAttribute('aria-describedby'), 'held-8-label');
    assert.equal(el.heldEmpty.hidden, true);
    renderHeld(el, [], new Set(), ctx);
    assert.equal(el.heldEmpty.hidden, false);
  });

  test('a search result: the section shown, the preview by petition, the button with its number, the matches', () => {
    const doc = page();
    const el = signaturesElements(doc);
    assert.equal(el.preview.hidden, true);
    renderResult(el, searchResult(searchAnswer()), { doc, t, format });
    assert.equal(el.preview.hidden, false);
    assert.match(el.previewCondition.textContent, /email domain spam1\.example/);
    assert.match(el.previewSummary.textContent, /^2 signatures match/);
    const row = el.previewBody.querySelector('tr[data-petition-id="1"]');
    assert.deepEqual(['counted', 'pending', 'held'].map((s) => row.querySelector(`[data-stat="${s}"]`).textContent), ['1', '0', '1']);
    assert.equal(el.invalidateOpen.disabled, false);
    assert.match(el.invalidateOpen.textContent, /2/);
    const matches = el.matchesBody.querySelectorAll('tr[data-signature-id]');
    assert.deepEqual(matches.map((tr) => tr.dataset.state), ['held', 'counted']);
    assert.equal(matches[1].querySelector('.matches__ip').textContent, '—', 'a missing address is a dash');
    assert.equal(matches[0].querySelector('.matches__created').getAttribute('datetime'), '2026-11-29T17:00:13.408Z');
    assert.equal(el.matchesEmpty.hidden, true);
    assert.equal(el.matchesNote.hidden, true);
  });

  test('nothing matches: the button is disabled and says so, the empty note shows', () => {
    const doc = page();
    const el = signaturesElements(doc);
    renderResult(el, searchResult({ condition: 'x', preview: { total: 0, counted: 0, petitions: [] }, signatures: [] }), { doc, t, format });
    assert.equal(el.invalidateOpen.disabled, true);
    assert.equal(el.invalidateOpen.textContent, t('invalidate_button_none'));
    assert.equal(el.matchesEmpty.hidden, false);
    assert.equal(el.previewWrap.hidden, true);
  });

  test('the dialog\'s summary and confirm button; an invalidation record in words; past invalidations', () => {
    const doc = page();
    const el = signaturesElements(doc);
    const ctx = { doc, t, format };
    renderDialogPreview(el, previewModel(searchAnswer(3).preview), ctx);
    assert.equal(el.confirm.disabled, false);
    assert.match(el.confirm.textContent, /3/);
    renderDialogPreview(el, previewModel(null), ctx);
    assert.equal(el.confirm.disabled, true);
    assert.equal(el.dialogSummary.textContent, t('invalidate_nothing'));
    assert.match(recordText(t, record, format), /2/);
    renderInvalidations(el, normaliseInvalidations({ invalidations: [record] }), ctx);
    const rows = el.invalidationsBody.querySelectorAll('tr[data-invalidation-id]');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].querySelector('.invalidations__reason').textContent, 'A bot farm');
    assert.equal(el.invalidationsEmpty.hidden, true);
    renderInvalidations(el, [], ctx);
    assert.equal(el.invalidationsEmpty.hidden, false);
  });
});

describe('staff-signatures: the wiring', () => {
  /** A fake fetch answering from `routes` (path -> a function of the body giving [status, body]), recording calls. */
  function setUp(routes = {}, formValues = { petition_id: '', email_domain: 'spam1.example', ip_range: '', from: '', until: '', states: ['counted', 'pending', 'held'] }) {
    const doc = page();
    const calls = [];
    const fetchImpl = async (url, init) => {
      const body = init?.body ? JSON.parse(init.body) : null;
      calls.push({ url, method: init?.method ?? 'GET', body });
      const [status, answer] = (routes[url] ?? (() => [200, {}]))(body, calls);
      return { ok: status < 300, status, headers: { get: () => 'application/json' }, text: async () => JSON.stringify(answer), json: async () => answer };
    };
    const formData = () => ({ get: (key) => formValues[key] ?? null, getAll: (key) => formValues[key] ?? [] });
    const api = enhanceStaffSignatures({ doc, fetchImpl, formData, t });
    return { doc, calls, api, el: signaturesElements(doc) };
  }
  const settle = async () => { for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0)); };

  test('it loads the past invalidations at once', async () => {
    const { calls, el } = setUp({ '/api/v1/signatures/invalidations': () => [200, { invalidations: [record] }] });
    await settle();
    assert.deepEqual(calls.map((c) => c.url), ['/api/v1/signatures/invalidations']);
    assert.equal(el.invalidationsBody.querySelectorAll('tr').length, 1);
  });

  test('release: one request however often it is clicked, then the held list again and a message', async () => {
    let held = [{ petition_id: 1, counted: 0, pending: 0, held: 3 }, { petition_id: 7, counted: 0, pending: 0, held: 1 }];
    const { doc, calls, el } = setUp({
      [RELEASE_PATH]: (body) => { held = held.filter((p) => p.petition_id !== body.petition_id); return [200, { petition_id: body.petition_id, released: 3 }]; },
      [SEARCH_PATH]: () => [200, { condition: 'held', preview: { total: 1, counted: 0, petitions: held }, signatures: [] }],
    });
    await settle();
    const button = doc.getElementById('held-1').querySelector('button[data-action=release]');
    button.click();
    button.click();
    await settle();
    assert.deepEqual(calls.filter((c) => c.url === RELEASE_PATH).map((c) => c.body), [{ petition_id: 1 }]);
    assert.equal(doc.getElementById('held-1'), null, 'released: gone from the list');
    assert.ok(doc.getElementById('held-7'));
    assert.ok(el.releaseResult.textContent.length > 0);
  });

  test('a refused release says why and gives the buttons back', async () => {
    const { doc, el } = setUp({ [RELEASE_PATH]: () => [403, { error: { code: 'forbidden', message: 'Only petition moderators can release.' } }] });
    await settle();
    doc.getElementById('held-7').querySelector('button[data-action=release]').click();
    await settle();
    assert.equal(el.alert.textContent, 'Only petition moderators can release.');
    assert.ok(doc.getElementById('held-7').querySelectorAll('button').every((b) => !b.disabled));
  });

  test('search, invalidate with a reason; a 409 preview_changed asks again with the new number; then it goes through', async () => {
    let invalidations = 0;
    const { doc, calls, el } = setUp({
      [SEARCH_PATH]: () => [200, searchAnswer()],
      [INVALIDATE_PATH]: (body) => {
        invalidations += 1;
        if (invalidations === 1) return [409, { error: { code: 'preview_changed', message: 'changed' }, preview: searchAnswer(5).preview }];
        return [200, { ...record, changed: { total: body.expected_total, counted: 1, petitions: [] } }];
      },
    });
    await settle();
    el.form.dispatchEvent(new FakeEvent('submit', { target: el.form }));
    await settle();
    assert.deepEqual(calls.find((c) => c.url === SEARCH_PATH).body, { email_domain: 'spam1.example', states: ['counted', 'pending', 'held'] });
    assert.equal(el.preview.hidden, false);
    assert.equal(doc.activeElement, el.previewHeading, 'focus goes to the result');

    el.invalidateOpen.click();
    assert.equal(el.dialog.open, true);
    el.dialogForm.dispatchEvent(new FakeEvent('submit', { target: el.dialogForm }));
    await settle();
    assert.equal(calls.filter((c) => c.url === INVALIDATE_PATH).length, 0, 'no reason: nothing sent');
    assert.equal(el.reason.getAttribute('aria-invalid'), 'true');

    el.reason.value = 'A bot farm';
    el.dialogForm.dispatchEvent(new FakeEvent('submit', { target: el.dialogForm }));
    await settle();
    const first = calls.filter((c) => c.url === INVALIDATE_PATH);
    assert.equal(first.length, 1);
    assert.equal(first[0].body.expected_total, 2);
    assert.equal(first[0].body.reason, 'A bot farm');
    assert.equal(el.dialog.open, true, 'the dialog stays open to ask again');
    assert.match(el.dialogChanged.textContent, /5/);
    assert.match(el.confirm.textContent, /5/);

    el.dialogForm.dispatchEvent(new FakeEvent('submit', { target: el.dialogForm }));
    await settle();
    const sent = calls.filter((c) => c.url === INVALIDATE_PATH);
    assert.equal(sent.length, 2);
    assert.equal(sent[1].body.expected_total, 5, 'what the moderator confirmed the second time');
    assert.equal(el.dialog.open, false);
    assert.equal(el.invalidateResult.dataset.invalidationId, '9');
  });

  test('a condition that fails the form\'s own check is not sent, and the field says why', async () => {
    const { calls, el, doc } = setUp({}, { petition_id: '', email_domain: '', ip_range: '', from: '2026-13-45T99:00', until: '', states: ['counted'] });
    await settle();
    el.form.dispatchEvent(new FakeEvent('submit', { target: el.form }));
    await settle();
    assert.equal(calls.filter((c) => c.url === SEARCH_PATH).length, 0);
    assert.equal(doc.getElementById('search-from').getAttribute('aria-invalid'), 'true');
    assert.match(el.searchErrors.textContent, new RegExp(t('search_time_invalid').slice(0, 20)));
  });
});
