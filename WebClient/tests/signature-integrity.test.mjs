// The staff signatures page (Protocol/PETITIONS.md §4, "Held signatures and bulk invalidation"): the pure logic of
// js/signature-integrity-state.js (the condition from the form, local times to UTC, the invalidation body, the
// answers as the page shows them, refusals) and what templates/staff-signatures.mustache promises the script.
// The structure, CSP, ids and labels of the page are checked with the other staff pages
// (petition-lifecycle-templates.test.mjs); the flow runs in Tests/browser/test_signature_integrity.py.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ApiError } from '../js/api.js';
import { translator } from '../js/i18n.js';
import {
  LISTED_AT_MOST, REASON_MAX, SIGNATURE_STATES, changedPreview, conditionFromForm, heldList, integrityErrorText,
  invalidatePayload, isNarrowed, isoToLocal, localToIso, normaliseInvalidations, normaliseSignatures, previewModel,
  previewSummary, releasedText, searchResult, signatureStateText, splitFieldErrors,
} from '../js/signature-integrity-state.js';
import * as contexts from './support/contexts.mjs';
import { REPO_ROOT } from './support/fakes.mjs';
import { byId, tags } from './support/html.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const en = translator(contexts.strings('en'), { lang: 'en' });
const fr = translator(contexts.strings('fr'), { lang: 'fr' });
const format = new Intl.NumberFormat('en').format;

/** POST /api/v1/signatures/search, as the server answers it (email domain of two signatures, one of them held). */
const searchAnswer = () => ({
  condition: 'email domain spam1.example, states pending/counted/held',
  preview: { total: 2, counted: 1, petitions: [{ petition_id: 1, counted: 1, pending: 0, held: 1 }] },
  signatures: [
    { id: 3, petition_id: 1, name: 'T 3', email: 't3@spam1.example', postcode: 'SW1A 1AA', country: 'GB', constituency: 'E14001172', ip: '127.0.0.1', kind: 'signature', state: 'held', created_at: '2026-11-29T17:00:13.408Z' },
    { id: 1, petition_id: 1, name: 'T 1', email: 't1@spam1.example', postcode: null, country: 'GB', constituency: null, ip: null, kind: 'signature', state: 'counted', created_at: '2026-11-29T17:00:13.364Z' },
  ],
  listed_at_most: 200,
});

describe('times: datetime-local values to ISO 8601 UTC', () => {
  test('with a given offset (as Date#getTimezoneOffset: minutes behind UTC)', () => {
    assert.equal(localToIso('2026-11-29T14:05', { offsetMinutes: -60 }), '2026-11-29T13:05:00.000Z', 'Paris in winter');
    assert.equal(localToIso('2026-07-01T00:30', { offsetMinutes: -120 }), '2026-06-30T22:30:00.000Z', 'the day before in UTC');
    assert.equal(localToIso('2026-11-29T14:05:09', { offsetMinutes: 300 }), '2026-11-29T19:05:09.000Z', 'New York, with seconds');
    assert.equal(localToIso('2026-11-29T14:05:09.5', { offsetMinutes: 0 }), '2026-11-29T14:05:09.500Z');
    assert.equal(localToIso('2026-11-29 14:05', { offsetMinutes: 0 }), '2026-11-29T14:05:00.000Z', 'a space instead of T');
  });

  test('in the machine\'s own time zone by default', () => {
    assert.equal(localToIso('2026-11-29T14:05'), new Date(2026, 10, 29, 14, 5).toISOString());
    assert.equal(localToIso('2026-03-29T12:00'), new Date(2026, 2, 29, 12, 0).toISOString());
  });

  test('empty is \'\'; anything that is not a date and time is null', () => {
    assert.equal(localToIso(''), '');
    assert.equal(localToIso('   '), '');
    assert.equal(localToIso(undefined), '');
    for (const bad of ['tomorrow', '2026-11-29', '29/11/2026 14:05', '2026-13-01T00:00', '2026-02-30T10:00', '2026-11-29T24:00', '2026-11-29T14:60']) {
      assert.equal(localToIso(bad, { offsetMinutes: 0 }), null, bad);
      assert.equal(localToIso(bad), null, `${bad} (local)`);
    }
  });

  test('back to a datetime-local value', () => {
    assert.equal(isoToLocal('2026-11-29T13:05:00.000Z', { offsetMinutes: -60 }), '2026-11-29T14:05');
    assert.equal(isoToLocal(localToIso('2026-11-29T14:05')), '2026-11-29T14:05');
    assert.equal(isoToLocal('nope'), '');
  });
});

describe('the condition from the search form', () => {
  test('filled parts only, trimmed; petition id as a number; times in UTC; the ticked states in protocol order', () => {
    const { condition, errors } = conditionFromForm({
      petition_id: ' 12 ', email_domain: ' spam.example ', ip_range: '', from: '2026-11-29T14:00', until: '',
      states: ['held', 'counted'],
    }, { offsetMinutes: -60 });
    assert.deepEqual(errors, {});
    assert.deepEqual(condition, { petition_id: 12, email_domain: 'spam.example', from: '2026-11-29T13:00:00.000Z', states: ['counted', 'held'] });
    assert.deepEqual(Object.keys(condition), ['petition_id', 'email_domain', 'from', 'states'], 'in the order of the form');
  });

  test('an empty form: every state, nothing else', () => {
    assert.deepEqual(conditionFromForm({ states: [...SIGNATURE_STATES] }).condition, { states: ['counted', 'pending', 'held'] });
    assert.deepEqual(conditionFromForm({}).condition, { states: [] }, 'no box ticked: the server says which is missing');
  });

  test('text the server judges is sent as it is (its message is the one shown)', () => {
    const { condition, errors } = conditionFromForm({ petition_id: 'twelve', ip_range: '203.0.113.0/24', email_domain: '@Example.COM' });
    assert.deepEqual(errors, {});
    assert.equal(condition.petition_id, 'twelve');
    assert.equal(condition.ip_range, '203.0.113.0/24');
    assert.equal(condition.email_domain, '@Example.COM');
  });

  test('a time that cannot be read is an error here, with the page\'s message', () => {
    const { condition, errors } = conditionFromForm({ from: '2026-02-30T10:00', until: 'soon' }, { messages: { time: en('search_time_invalid') } });
    assert.deepEqual(errors, { from: en('search_time_invalid'), until: en('search_time_invalid') });
    assert.ok(!('from' in condition) && !('until' in condition));
  });

  test('narrowed: a petition, a domain, a range or a time (states alone are not)', () => {
    assert.ok(isNarrowed({ petition_id: 1, states: ['held'] }));
    assert.ok(isNarrowed({ email_domain: 'x.example' }));
    assert.ok(isNarrowed({ until: '2026-11-29T13:00:00.000Z' }));
    assert.ok(!isNarrowed({ states: ['held'] }));
    assert.ok(!isNarrowed(null));
  });
});

describe('the invalidation body', () => {
  test('the searched condition, the trimmed reason and the total the moderator saw', () => {
    const condition = { email_domain: 'spam1.example', states: ['counted', 'pending', 'held'] };
    assert.deepEqual(invalidatePayload(condition, '  Bulk sign-ups from a disposable domain. ', 2), {
      body: { email_domain: 'spam1.example', states: ['counted', 'pending', 'held'], reason: 'Bulk sign-ups from a disposable domain.', expected_total: 2 },
    });
    assert.deepEqual(invalidatePayload(condition, 'x', null).body, { ...condition, reason: 'x' }, 'no total: none sent');
    assert.deepEqual(condition, { email_domain: 'spam1.example', states: ['counted', 'pending', 'held'] }, 'untouched');
  });

  test('a reason is required, at most 300 characters', () => {
    assert.deepEqual(invalidatePayload({}, '   ', 1), { error: 'reason_missing' });
    assert.deepEqual(invalidatePayload({}, undefined, 1), { error: 'reason_missing' });
    assert.deepEqual(invalidatePayload({}, 'é'.repeat(REASON_MAX + 1), 1), { error: 'reason_too_long' });
    assert.ok(invalidatePayload({}, 'é'.repeat(REASON_MAX), 1).body, '300 characters (not bytes) are fine');
  });
});

describe('answers as the page shows them', () => {
  test('the preview: totals, pending and held summed, one row per petition by id', () => {
    const model = previewModel({ total: 5, counted: 3, petitions: [
      { petition_id: 7, counted: 1, pending: 1, held: 0 }, { petition_id: 2, counted: 2, pending: 0, held: 1 }, { petition_id: 2, counted: 9 }, { counted: 4 },
    ] });
    assert.deepEqual(model, {
      total: 5, counted: 3, pending: 1, held: 1, empty: false,
      petitions: [
        { petition_id: 2, counted: 2, pending: 0, held: 1, total: 3 },
        { petition_id: 7, counted: 1, pending: 1, held: 0, total: 2 },
      ],
    });
    assert.deepEqual(previewModel(null), { total: 0, counted: 0, pending: 0, held: 0, petitions: [], empty: true });
    assert.equal(previewModel({ petitions: [{ petition_id: 1, counted: 2, pending: 1, held: 0 }] }).total, 3, 'total from the rows when missing');
  });

  test('the preview in words, in English and French', () => {
    const model = previewModel(searchAnswer().preview);
    assert.equal(previewSummary(en, model, format), '2 signatures match: 1 counted, 0 waiting for email confirmation, 1 held for review.');
    assert.equal(previewSummary(en, previewModel({ total: 1, counted: 1, petitions: [{ petition_id: 1, counted: 1, pending: 0, held: 0 }] }), format),
      '1 signature matches: 1 counted, 0 waiting for email confirmation, 0 held for review.');
    assert.match(previewSummary(fr, model), /^2 signatures correspondent/);
  });

  test('the matching signatures: personal data for the staff table, nulls kept as null, duplicates dropped', () => {
    const rows = normaliseSignatures({ signatures: [...searchAnswer().signatures, { id: 3, name: 'again' }, { name: 'no id' }] });
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0], {
      id: 3, petition_id: 1, name: 'T 3', email: 't3@spam1.example', ip: '127.0.0.1', postcode: 'SW1A 1AA', country: 'GB',
      constituency: 'E14001172', kind: 'signature', state: 'held', created_at: '2026-11-29T17:00:13.408Z',
    });
    assert.equal(rows[1].ip, null);
    assert.equal(rows[1].postcode, null);
    assert.deepEqual(normaliseSignatures(null), []);
  });

  test('a search answer: the server\'s condition, the preview, the list, and whether the list is cut', () => {
    const result = searchResult(searchAnswer());
    assert.equal(result.conditionText, 'email domain spam1.example, states pending/counted/held');
    assert.equal(result.preview.total, 2);
    assert.equal(result.signatures.length, 2);
    assert.equal(result.listedAtMost, 200);
    assert.equal(result.truncated, false);
    const many = { preview: { total: 250, counted: 250, petitions: [{ petition_id: 1, counted: 250, pending: 0, held: 0 }] },
      signatures: Array.from({ length: LISTED_AT_MOST }, (_, i) => ({ id: i + 1, state: 'counted' })), listed_at_most: 200 };
    assert.equal(searchResult(many).truncated, true);
    assert.equal(en('matches_truncated', { n: 200, total: 250 }), 'Only the 200 newest of the 250 matching signatures are listed. Invalidating applies to all 250.');
  });

  test('held counts: from the page\'s context (ids as strings) or from a preview of held signatures', () => {
    assert.deepEqual(heldList(contexts.staffSignaturesContext().held), [{ petition_id: 1, held: 3 }, { petition_id: 7, held: 1 }]);
    assert.deepEqual(heldList({ total: 4, counted: 0, petitions: [{ petition_id: 9, counted: 0, pending: 0, held: 0 }, { petition_id: 4, counted: 0, pending: 0, held: 4 }] }),
      [{ petition_id: 4, held: 4 }], 'petitions without held signatures are left out');
    assert.deepEqual(heldList([{ petition_id: 'x', held: 1 }, { petition_id: 2, held: '2' }, null]), [{ petition_id: 2, held: 2 }]);
    assert.deepEqual(heldList(undefined), []);
  });

  test('past invalidations: newest first as sent, each with its changes', () => {
    const records = normaliseInvalidations({ invalidations: [
      { id: 2, at: '2026-11-29T17:05:00.000Z', staff_id: 2, reason: 'Bulk sign-ups.', condition: 'email domain spam1.example, states pending/counted/held',
        changed: { total: 2, counted: 2, petitions: [{ petition_id: 1, counted: 2, pending: 0, held: 0 }] } },
      { id: 1, at: '2026-11-28T10:00:00.000Z', staff_id: null, reason: 'Test.', condition: 'petition 3, states held', changed: null },
      { id: 1, reason: 'duplicate' },
    ] });
    assert.deepEqual(records.map((r) => r.id), [2, 1]);
    assert.equal(records[0].changed.total, 2);
    assert.equal(records[0].staff_id, 2);
    assert.equal(records[1].staff_id, null);
    assert.equal(records[1].changed.empty, true);
  });

  test('a release in words: counted now, or mailed their confirmation', () => {
    assert.equal(releasedText(en, { released: 1, confirmation: 'none' }, 1, format), 'Released 1 signature of petition 1: it counts now.');
    assert.equal(releasedText(en, { released: 3, confirmation: 'none' }, 1, format), 'Released 3 signatures of petition 1: they count now.');
    assert.match(releasedText(en, { released: 2, confirmation: 'email' }, 4, format), /sent their confirmation links/);
    assert.match(releasedText(en, { released: 0, confirmation: 'none' }, 4, format), /nothing was released/);
  });

  test('state names', () => {
    assert.equal(signatureStateText(en, 'held'), 'Held for review');
    assert.equal(signatureStateText(fr, 'counted'), 'Comptées');
    assert.equal(signatureStateText(en, 'odd'), 'odd');
  });
});

describe('refusals', () => {
  const invalid = new ApiError({
    status: 422, code: 'invalid_input', message: 'The condition is not valid.',
    fields: { email_domain: 'Must be a domain like example.com.', ip_range: 'Must be an address or a range.', expected_total: 'Must be a whole number.' },
  });

  test('field errors the form has a place for, and the others', () => {
    assert.deepEqual(splitFieldErrors(invalid), {
      fields: { email_domain: 'Must be a domain like example.com.', ip_range: 'Must be an address or a range.' },
      other: ['Must be a whole number.'],
    });
    assert.deepEqual(splitFieldErrors(invalid, ['reason']).fields, {});
    assert.deepEqual(splitFieldErrors(new Error('x')), { fields: {}, other: [] });
  });

  test('409 preview_changed carries the new preview; nothing else does', () => {
    const changed = new ApiError({
      status: 409, code: 'preview_changed', message: 'The condition now matches 3 signatures, not 2: check the new preview and confirm again.',
      body: { error: { code: 'preview_changed', message: '…' }, preview: { total: 3, counted: 2, petitions: [{ petition_id: 1, counted: 2, pending: 0, held: 1 }] } },
    });
    assert.deepEqual(changedPreview(changed), previewModel({ total: 3, counted: 2, petitions: [{ petition_id: 1, counted: 2, pending: 0, held: 1 }] }));
    assert.equal(changedPreview(invalid), null);
    assert.equal(changedPreview(new ApiError({ status: 409, code: 'preview_changed', message: '', body: null })), null);
    assert.equal(en.plural('preview_changed', 3, { n: '3' }), 'The matching signatures changed since you searched: 3 match now. Nothing was invalidated yet: check the new figures and confirm again.');
  });

  test('the message: the server\'s, else ours by kind', () => {
    assert.equal(integrityErrorText(en, invalid), 'The condition is not valid.');
    assert.equal(integrityErrorText(en, new ApiError({ status: 0, code: 'network_error', message: 'Failed to fetch' })), en('network_failed'));
    assert.equal(integrityErrorText(en, new ApiError({ status: 401, code: 'not_logged_in', message: 'Log in' })), en('session_expired'));
    assert.equal(integrityErrorText(en, new ApiError({ status: 403, code: 'forbidden', message: '' })), en('signatures_forbidden'));
    assert.equal(integrityErrorText(en, new TypeError('x')), en('action_failed'));
  });
});

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));

describe('templates/staff-signatures.mustache', () => {
  const page = (context) => render(templates['staff-signatures'], context, templates);
  const html = page(contexts.staffSignaturesContext());

  test('the page: its title, script, needs-JS notice, alert and status regions', () => {
    const main = byId(html, 'main');
    assert.equal(main.attrs.get('data-page'), 'staff-signatures');
    assert.equal(main.attrs.get('data-confirmation'), 'none');
    assert.match(html, /<title>Held and invalidated signatures – Hemicycle<\/title>/);
    assert.match(html, /<noscript><div class="notice notice--warning"><p>This console needs JavaScript/);
    assert.equal(byId(html, 'signatures-alert').attrs.get('role'), 'alert');
    assert.equal(byId(html, 'signatures-status').attrs.get('aria-live'), 'polite');
    assert.match(html, /<script type="module" src="\/static\/js\/staff-signatures.js"><\/script>/);
  });

  test('held signatures by petition, each with Release and Search described by its label', () => {
    const items = tags(html).filter((t) => t.name === 'li' && t.attrs.get('class') === 'held-item');
    assert.deepEqual(items.map((li) => [li.attrs.get('id'), li.attrs.get('data-petition-id'), li.attrs.get('data-held')]), [['held-1', '1', '3'], ['held-7', '7', '1']]);
    const buttons = tags(html).filter((t) => t.name === 'button' && t.attrs.has('data-action'));
    assert.deepEqual(buttons.map((b) => [b.attrs.get('data-action'), b.attrs.get('aria-describedby')]),
      [['release', 'held-1-label'], ['search', 'held-1-label'], ['release', 'held-7-label'], ['search', 'held-7-label']]);
    assert.match(html, /<a class="link held-item__petition" href="\/petitions\/1">Petition 1<\/a>/);
    assert.ok(byId(html, 'held-empty').attrs.has('hidden'));
    const none = page(contexts.staffSignaturesContext({ held: [], has_held: false }));
    assert.ok(!byId(none, 'held-empty').attrs.has('hidden'));
    assert.match(none, /No signature is held for review\./);
    assert.ok(byId(html, 'held-hint-email').attrs.has('hidden'), 'shown by the script with email confirmation');
  });

  test('the search form: labelled fields, local times, the three states ticked, hints tied to fields', () => {
    const form = byId(html, 'search-form');
    assert.ok(form.attrs.has('novalidate'));
    assert.ok(!form.attrs.has('method') && !form.attrs.has('action'), 'sent by the script only');
    for (const [id, type] of [['search-petition_id', 'text'], ['search-email_domain', 'text'], ['search-ip_range', 'text'], ['search-from', 'datetime-local'], ['search-until', 'datetime-local']]) {
      assert.equal(byId(html, id).attrs.get('type'), type, id);
      assert.ok(tags(html).some((t) => t.name === 'label' && t.attrs.get('for') === id), `label for ${id}`);
    }
    assert.equal(byId(html, 'search-from').attrs.get('aria-describedby'), 'search-from-hint');
    const states = tags(html).filter((t) => t.name === 'input' && t.attrs.get('name') === 'states');
    assert.deepEqual(states.map((s) => [s.attrs.get('value'), s.attrs.has('checked')]), [['counted', true], ['pending', true], ['held', true]]);
    assert.equal(byId(html, 'search-states').name, 'fieldset');
    assert.equal(byId(html, 'search-errors').attrs.get('role'), 'alert');
  });

  test('the preview, the invalidate button, the tables', () => {
    assert.ok(byId(html, 'preview-section').attrs.has('hidden'), 'shown after a search');
    assert.equal(byId(html, 'preview-heading').attrs.get('tabindex'), '-1', 'focus lands there after a search');
    const open = byId(html, 'invalidate-open');
    assert.equal(open.attrs.get('aria-haspopup'), 'dialog');
    assert.ok(open.attrs.has('disabled'));
    assert.equal(byId(html, 'matches-wrap').attrs.get('role'), 'region', 'a wide table scrolls in a focusable region');
    assert.equal(byId(html, 'matches-wrap').attrs.get('tabindex'), '0');
    const cols = html.slice(html.indexOf('id="matches-table"'), html.indexOf('id="matches-body"'));
    assert.deepEqual([...cols.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((m) => m[1]), ['Name', 'Email', 'Address', 'Postcode', 'Constituency', 'State', 'Signed at']);
  });

  test('the invalidate dialog: a modal asking for the published reason (1 to 300 characters)', () => {
    const dialog = byId(html, 'invalidate-dialog');
    assert.equal(dialog.name, 'dialog');
    assert.equal(dialog.attrs.get('aria-modal'), 'true');
    assert.equal(dialog.attrs.get('aria-labelledby'), 'invalidate-dialog-title');
    assert.equal(byId(html, 'invalidate-form').attrs.get('method'), 'dialog');
    const reason = byId(html, 'invalidate-reason');
    assert.equal(reason.name, 'textarea');
    assert.equal(reason.attrs.get('maxlength'), String(REASON_MAX));
    assert.equal(reason.attrs.get('aria-describedby'), 'invalidate-reason-hint');
    assert.match(html, /<label class="label" for="invalidate-reason">Reason \(published\)<\/label>/);
    assert.equal(byId(html, 'invalidate-error').attrs.get('role'), 'alert');
    assert.equal(byId(html, 'invalidate-changed').attrs.get('role'), 'alert');
    assert.equal(byId(html, 'invalidate-confirm').attrs.get('type'), 'submit');
  });

  test('past invalidations: a table the script fills, a reload button shown with JavaScript', () => {
    assert.equal(byId(html, 'invalidations-body').name, 'tbody');
    assert.ok(byId(html, 'invalidations-reload').attrs.has('hidden'));
    assert.ok(byId(html, 'invalidations-wrap').attrs.has('hidden'));
  });

  test('in French', () => {
    const frHtml = page({ ...contexts.staffSignaturesContext(), ...contexts.i18nContext('fr', '/staff/signatures') });
    assert.match(frHtml, /<html lang="fr">/);
    assert.match(frHtml, /<h1 class="heading-xl">Signatures retenues et invalidées<\/h1>/);
    assert.match(frHtml, /Libérer<\/button>/);
  });
});
