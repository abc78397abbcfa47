// The home page's live petition list: counts and states follow each petition's topic.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { applyToItem, MAX_FOLLOWED, stateText } from '../js/home-page.js';

function elements() {
  return { count: { value: '3', textContent: '3' }, unit: { textContent: 'signatures' }, state: { textContent: '', hidden: true } };
}

test('a count event moves the count and its unit', () => {
  const e = elements();
  assert.deepEqual(applyToItem(e, 'count', { signature_count: 12345 }), { count: 12345 });
  assert.equal(e.count.value, '12345');
  assert.equal(e.count.textContent, '12,345');
  assert.equal(e.unit.textContent, 'signatures');
  applyToItem(e, 'count', { signature_count: 1 });
  assert.equal(e.unit.textContent, 'signature');
});

test('a state event shows that a petition no longer takes signatures', () => {
  const e = elements();
  assert.deepEqual(applyToItem(e, 'state', { state: 'closed', closed_at: '2026-11-29T10:00:00.000Z' }), { state: 'closed' });
  assert.equal(e.state.textContent, 'Closed');
  assert.equal(e.state.hidden, false);
  applyToItem(e, 'snapshot', { state: 'open', signature_count: 4 });
  assert.equal(e.state.hidden, true, 'open again (a snapshot after a reconnect): no tag');
  assert.equal(e.count.value, '4');
});

test('unknown events, missing data and bad counts change nothing', () => {
  const e = elements();
  assert.deepEqual(applyToItem(e, 'areas', { signature_count: 9 }), {});
  assert.deepEqual(applyToItem(e, 'count', null), {});
  assert.deepEqual(applyToItem(e, 'count', { signature_count: '9' }), {});
  assert.equal(e.count.value, '3');
});

test('state words and the follow limit', () => {
  assert.equal(stateText('open'), '');
  assert.equal(stateText('rejected'), 'Rejected');
  assert.equal(stateText('hidden'), 'Not accepting signatures');
  assert.ok(MAX_FOLLOWED <= 100, 'within the server topic limit per connection');
});
