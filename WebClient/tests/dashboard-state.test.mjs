// js/dashboard-state.js: the tally and threshold progress.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { applyTally, emptyDashboardState, thresholdProgress } from '../js/dashboard-state.js';

const tally = {
  at: '2026-11-29T14:00:00.000Z',
  sittings: [{ id: 1, title: 'Rail', state: 'live', viewers: 212, peak_viewers: 240, questions: { submitted: 3, approved: 10, answered: 4 } }, { id: 'x' }],
  petitions: [{ id: 1, action: 'Meals', signature_count: 100, per_minute: 4, thresholds: [] }, null, { id: 1.5 }],
};

describe('dashboard state', () => {
  test('a tally replaces the state; entries without a whole id are left out', () => {
    const state = applyTally(emptyDashboardState(), tally);
    assert.equal(state.at, tally.at);
    assert.deepEqual(state.sittings.map((s) => s.id), [1]);
    assert.deepEqual(state.petitions.map((p) => p.id), [1]);
    assert.equal(state.sittings[0].viewers, 212);
    const next = applyTally(state, { at: '2026-11-29T14:00:01.000Z', sittings: [], petitions: [] });
    assert.deepEqual(next, { at: '2026-11-29T14:00:01.000Z', sittings: [], petitions: [] });
  });

  test('junk leaves the state as it was; a missing `at` is null', () => {
    const state = applyTally(emptyDashboardState(), tally);
    assert.equal(applyTally(state, 'junk'), state);
    assert.equal(applyTally(state, [1, 2]), state);
    assert.equal(applyTally(state, { sittings: 'no' }).at, null);
    assert.deepEqual(applyTally(state, { sittings: 'no' }).sittings, []);
  });

  test('threshold progress', () => {
    assert.equal(thresholdProgress(10412, 10000), 100);
    assert.equal(thresholdProgress(9999, 10000), 99);
    assert.equal(thresholdProgress(0, 10000), 0);
    assert.equal(thresholdProgress(5, 0), 0);
  });
});
