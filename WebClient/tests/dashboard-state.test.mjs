// js/dashboard-state.js: the tally, the ring buffer of per-minute samples and the chart's geometry.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  CHART_WINDOW_MS, RING_SIZE, RingBuffer, addSample, applyTally, chartPath, emptyDashboardState, minuteTable, niceMax,
  recentSamples, thresholdProgress,
} from '../js/dashboard-state.js';

const T0 = Date.parse('2026-11-29T14:00:00.000Z');
const tally = (atMs, perMinute, count = 100) => ({
  at: new Date(atMs).toISOString(),
  sittings: [{ id: 1, title: 'Rail', state: 'live', viewers: 212, peak_viewers: 240, questions: { submitted: 3, approved: 10, answered: 4 } }],
  petitions: [{ id: 1, action: 'Meals', signature_count: count, per_minute: perMinute, thresholds: [{ name: 'response', signatures: 10000, reached_at: null }] }],
});

describe('RingBuffer', () => {
  test('keeps the newest items, oldest first', () => {
    const ring = new RingBuffer(3);
    for (const n of [1, 2, 3, 4, 5]) ring.push(n);
    assert.deepEqual(ring.toArray(), [3, 4, 5]);
    assert.equal(ring.length, 3);
    assert.equal(ring.last(), 5);
    ring.replaceLast(50);
    assert.deepEqual(ring.toArray(), [3, 4, 50]);
    assert.equal(new RingBuffer(2).last(), undefined);
    assert.throws(() => new RingBuffer(0));
  });

  test('sized for ten minutes at one sample per 5 s', () => {
    assert.equal(RING_SIZE, 121);
  });
});

describe('samples', () => {
  test('at most one per 5 s: a closer one replaces it; one from the past is ignored', () => {
    const ring = new RingBuffer(10);
    addSample(ring, T0, 10);
    addSample(ring, T0 + 1000, 12);
    addSample(ring, T0 + 4999, 13);
    addSample(ring, T0 + 5000, 20);
    addSample(ring, T0 + 3000, 99);
    assert.deepEqual(ring.toArray().map((s) => [s.at - T0, s.value]), [[4999, 13], [5000, 20]]);
    addSample(ring, Number.NaN, 1);
    assert.equal(ring.length, 2);
  });

  test('applyTally keeps a history per petition and forgets petitions that went away', () => {
    let state = emptyDashboardState();
    for (let i = 0; i < 5; i += 1) state = applyTally(state, tally(T0 + i * 10_000, i * 10));
    assert.equal(state.sittings[0].viewers, 212);
    assert.equal(state.petitions[0].per_minute, 40);
    assert.deepEqual(state.history.get(1).toArray().map((s) => s.value), [0, 10, 20, 30, 40]);
    state = applyTally(state, { ...tally(T0 + 60_000, 5), petitions: [] });
    assert.ok(!state.history.has(1));
    assert.equal(applyTally(state, 'junk'), state);
  });

  test('a tally without `at` is sampled at the given time', () => {
    const state = applyTally(emptyDashboardState(), { ...tally(T0, 7), at: undefined }, T0 + 123);
    assert.equal(state.history.get(1).last().at, T0 + 123);
  });
});

describe('chart', () => {
  test('niceMax: 1, 2, 5 x 10^n, at least 10', () => {
    assert.equal(niceMax(0), 10);
    assert.equal(niceMax(7), 10);
    assert.equal(niceMax(11), 20);
    assert.equal(niceMax(130), 200);
    assert.equal(niceMax(450), 500);
    assert.equal(niceMax(501), 1000);
  });

  test('path: x over the last ten minutes, y from the bottom', () => {
    const now = T0 + CHART_WINDOW_MS;
    const samples = [{ at: T0, value: 0 }, { at: T0 + CHART_WINDOW_MS / 2, value: 50 }, { at: now, value: 100 }];
    const { line, area, max, points } = chartPath(samples, { width: 300, height: 100, now });
    assert.equal(max, 100);
    assert.deepEqual(points, [{ x: 0, y: 100 }, { x: 150, y: 50 }, { x: 300, y: 0 }]);
    assert.equal(line, 'M0,100 L150,50 L300,0');
    assert.equal(area, 'M0,100 L150,50 L300,0 L300,100 L0,100 Z');
  });

  test('older samples fall out of the window; values are clamped to the scale', () => {
    const now = T0 + 20 * 60_000;
    const samples = [{ at: T0, value: 999 }, { at: now - 60_000, value: 30 }, { at: now, value: 10 }];
    const { points, max } = chartPath(samples, { width: 300, height: 100, now, max: 20 });
    assert.equal(points.length, 2);
    assert.equal(max, 20);
    assert.deepEqual(points[0], { x: 270, y: 0 }, 'clamped at the top');
    assert.deepEqual(points[1], { x: 300, y: 50 });
    assert.deepEqual(recentSamples(samples, { now }).length, 2);
  });

  test('one sample draws a flat line; none draws nothing', () => {
    const one = chartPath([{ at: T0, value: 5 }], { width: 300, height: 100, now: T0 });
    assert.equal(one.line, 'M0,50 L300,50');
    const none = chartPath([], { width: 300, height: 100 });
    assert.equal(none.line, '');
    assert.equal(none.area, '');
  });

  test('the text alternative: the last value of each minute, newest first', () => {
    const now = T0 + 3 * 60_000;
    const samples = [
      { at: T0 + 10_000, value: 1 }, { at: T0 + 50_000, value: 2 },
      { at: T0 + 70_000, value: 3 }, { at: now - 1000, value: 4 }, { at: now, value: 5 },
    ];
    assert.deepEqual(minuteTable(samples, { now }), [
      { minutesAgo: 0, value: 5 }, { minutesAgo: 1, value: 3 }, { minutesAgo: 2, value: 2 },
    ]);
    assert.deepEqual(minuteTable([]), []);
  });

  test('threshold progress', () => {
    assert.equal(thresholdProgress(10412, 10000), 100);
    assert.equal(thresholdProgress(9999, 10000), 99);
    assert.equal(thresholdProgress(0, 10000), 0);
    assert.equal(thresholdProgress(5, 0), 0);
  });
});
