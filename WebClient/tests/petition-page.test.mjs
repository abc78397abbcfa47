// The pure helpers of the petition page (the DOM wiring is covered by Tests/browser/).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  STATE_LABELS, STATUS_TEXT, countPhrase, describeError, liveCount, liveUrl, nextCount, signOutcome, signaturePayload,
  signedMessage, stateNotice, thresholdPercent,
} from '../js/petition-page.js';
import { ConnectionState, EventName } from '../js/constants.js';
import { serverExample } from './support/fakes.mjs';

describe('petition page helpers', () => {
  test('liveUrl follows the page scheme and host', () => {
    assert.equal(liveUrl({ protocol: 'https:', host: 'petitions.example.org' }), 'wss://petitions.example.org/live');
    assert.equal(liveUrl({ protocol: 'http:', host: '127.0.0.1:8080' }), 'ws://127.0.0.1:8080/live');
  });

  test('the count never goes down, and ignores non-integers', () => {
    assert.equal(nextCount(10, 11), 11);
    assert.equal(nextCount(10, 9), 10);
    assert.equal(nextCount(10, 10), 10);
    assert.equal(nextCount(10, '12'), 10);
    assert.equal(nextCount(10, undefined), 10);
    assert.equal(nextCount(10, 10.5), 10);
  });

  test('the live topic\'s count is shown as it is, lower too (invalidated signatures leave it)', () => {
    assert.equal(liveCount(10, 11), 11);
    assert.equal(liveCount(10, 8), 8, 'staff invalidated two signatures');
    assert.equal(liveCount(10, 0), 0);
    assert.equal(liveCount(10, -1), 10);
    assert.equal(liveCount(10, '12'), 10);
    assert.equal(liveCount(10, null), 10);
    assert.equal(liveCount(10, 10.5), 10);
  });

  test('stateNotice: nothing while open; the form gives way to a notice for any other state', () => {
    assert.equal(stateNotice('open'), null);
    assert.equal(stateNotice(''), null);
    assert.equal(stateNotice(undefined), null);
    const event = serverExample('event-state');
    assert.equal(event.event, EventName.STATE);
    const closed = stateNotice(event.data.state, event.data.rejection);
    assert.deepEqual(closed, { state: 'closed', label: 'Closed', heading: 'This petition is closed', text: 'It is not accepting signatures any more.' });
    const rejected = stateNotice('rejected', { code: 'duplicate', details: '  Sign petition 12 instead.  ' });
    assert.equal(rejected.heading, 'This petition was rejected');
    assert.equal(rejected.label, STATE_LABELS.rejected);
    assert.equal(rejected.text, 'It is not accepting signatures. Sign petition 12 instead.');
    assert.equal(stateNotice('rejected', { code: 'offensive', details: null }).text, 'It is not accepting signatures.');
    const other = stateNotice('hidden');
    assert.equal(other.label, 'Hidden');
    assert.equal(other.heading, 'This petition is not accepting signatures');
    assert.equal(stateNotice('under_review').label, 'Under review', 'an unknown state still reads as words');
  });

  test('threshold percent is an integer 0..100', () => {
    assert.equal(thresholdPercent(9874, 10000), 98);
    assert.equal(thresholdPercent(9999, 10000), 99, 'not rounded up to 100 before it is reached');
    assert.equal(thresholdPercent(10003, 10000), 100);
    assert.equal(thresholdPercent(250000, 100000), 100);
    assert.equal(thresholdPercent(0, 10000), 0);
    assert.equal(thresholdPercent(5, 0), 0);
  });

  test('countPhrase', () => {
    const format = new Intl.NumberFormat('en').format;
    assert.equal(countPhrase(1, format), '1 signature');
    assert.equal(countPhrase(12345, format), '12,345 signatures');
  });

  test('signaturePayload trims, keeps name and email, drops empty optional fields and unknown fields', () => {
    assert.deepEqual(
      signaturePayload([['name', ' Ada Lovelace '], ['email', 'ada@example.org'], ['postcode', ''], ['country', ' UK '], ['extra', 'x']]),
      { name: 'Ada Lovelace', email: 'ada@example.org', country: 'UK' },
    );
    assert.deepEqual(signaturePayload([['name', ''], ['email', '']]), { name: '', email: '' }, 'the server reports missing fields');
  });

  test('describeError reads {error:{code,message,fields}} and copes with anything else', () => {
    assert.deepEqual(
      describeError(422, { error: { code: 'invalid_input', message: 'Check the form', fields: { email: 'Enter a valid email', name: '' } } }),
      { code: 'invalid_input', message: 'Check the form', fields: { email: 'Enter a valid email' } },
    );
    assert.deepEqual(describeError(409, { error: { code: 'duplicate_signature' } }).code, 'duplicate_signature');
    assert.match(describeError(409, { error: { code: 'duplicate_signature' } }).message, /already/);
    assert.deepEqual(describeError(500, null).code, 'http_500');
    assert.match(describeError(502, 'Bad gateway').message, /try again/);
  });

  test('a status text for every connection state', () => {
    for (const state of Object.values(ConnectionState)) assert.ok(STATUS_TEXT[state], state);
    assert.equal(STATUS_TEXT.live, 'Live');
    assert.equal(STATUS_TEXT.offline, 'Offline — the count may be out of date');
  });

  test('signOutcome: 201 counts; 202 pending_confirmation or held does not (PETITIONS.md §3)', () => {
    assert.equal(signOutcome(201, { id: 7, signature_count: 12 }), 'counted');
    assert.equal(signOutcome(202, { id: 7, state: 'pending_confirmation' }), 'pending_confirmation');
    assert.equal(signOutcome(202, { id: 7, state: 'held' }), 'held');
    assert.equal(signOutcome(200, null), 'counted');
    assert.equal(signOutcome(202, { state: 'something_else' }), 'counted');
  });

  test('signedMessage: a pending signature asks to check the email and does not say it was added', () => {
    const pending = signedMessage('pending_confirmation', { name: 'Ada', email: 'ada@example.org' });
    assert.equal(pending.heading, 'Check your email');
    assert.match(pending.text, /Thank you, Ada\./);
    assert.match(pending.text, /ada@example\.org/);
    assert.doesNotMatch(pending.text, /has been added/);
    assert.match(signedMessage('held', { name: 'Ada' }).text, /checked before it is counted/);
    assert.equal(signedMessage('counted', {}).heading, 'Thank you for signing');
    assert.match(signedMessage('counted', { name: 'Ada' }).text, /^Thank you, Ada\. Your signature has been added\./);
  });
});

test('the area names the page ships are read from their JSON block', async () => {
  const { readJsonBlock } = await import('../js/petition-page.js');
  const { areaNames } = await import('../js/area-counts.js');
  const doc = (text) => ({ getElementById: (id) => (id === 'hc-area-names' && text !== null ? { textContent: text } : null) });
  const body = readJsonBlock(doc('{"data":{"attributes":{"signatures_by_region":[{"name":"London","ons_code":"E15000007","signature_count":3}]}}}'), 'hc-area-names');
  assert.equal(areaNames(body).regions.get('E15000007').name, 'London');
  assert.equal(readJsonBlock(doc(null), 'hc-area-names'), null);
  assert.equal(readJsonBlock(doc('{not json'), 'hc-area-names'), null);
});
