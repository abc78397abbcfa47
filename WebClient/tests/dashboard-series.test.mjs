// js/dashboard-series.js: signatures per minute (history then live), sittings' audience and questions (server series
// then live), table rows.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  MINUTE_MS, WINDOW_MS, emptyPetitionSeries, emptySittingSeries, minuteOf, petitionPoints, rowMinutes, sittingPoints,
  sittingWindow, summary, tableRows, withCount, withHistory, withServerSeries, withTally,
} from '../js/dashboard-series.js';
import { example } from './support/fakes.mjs';

const T0 = Date.parse('2026-11-29T14:00:00.000Z');
const at = (minutes, seconds = 0) => T0 + minutes * MINUTE_MS + seconds * 1000;
const iso = (ms) => new Date(ms).toISOString();
const values = (points) => points.map((p) => p.v);

describe('signatures per minute', () => {
  test('history.json: signatures added per minute; junk is ignored', () => {
    const history = example('petitions', 'petition-history');
    const series = withHistory(emptyPetitionSeries(), history);
    const [first] = history.minute;
    assert.equal(series.history.get(Date.parse(first.at)), first.added);
    assert.equal(withHistory(series, { minute: 'no' }), series);
    assert.equal(withHistory(series, null), series);
    const odd = withHistory(emptyPetitionSeries(), { minute: [{ at: 'later', added: 3 }, { at: iso(at(1)), added: -2 }, { at: iso(at(2)), added: 4 }] });
    assert.deepEqual([...odd.history.entries()], [[at(1), 0], [at(2), 4]]);
  });

  test('live counts add what they grew by to their minute; the first only sets the start; a fall adds nothing', () => {
    let series = withCount(emptyPetitionSeries(), 100, at(0, 10));
    series = withCount(series, 103, at(0, 40));
    series = withCount(series, 101, at(1, 5)); // staff invalidated two
    series = withCount(series, 106, at(1, 30));
    series = withCount(series, 'x', at(1, 40));
    assert.deepEqual(values(petitionPoints(series, { start: at(0), end: at(1, 59) })), [3, 5]);
  });

  test('history before live counting began, live after, the larger of both in the minute it began', () => {
    let series = withHistory(emptyPetitionSeries(), { minute: [
      { at: iso(at(0)), added: 4 }, { at: iso(at(2)), added: 6 }, { at: iso(at(3)), added: 9 },
    ] });
    series = withCount(series, 50, at(2, 30));
    series = withCount(series, 52, at(2, 50));
    series = withCount(series, 55, at(3, 10));
    assert.deepEqual(values(petitionPoints(series, { start: at(0), end: at(3, 20) })), [4, 0, 6, 3]);
  });

  test('the window has a point for every minute', () => {
    const points = petitionPoints(emptyPetitionSeries(), { start: T0 - WINDOW_MS, end: T0 });
    assert.equal(points.length, 181);
    assert.ok(points.every((p) => p.v === 0 && p.t % MINUTE_MS === 0));
  });
});

describe('sittings', () => {
  const server = {
    id: 3, peak: { at: iso(at(1)), viewers: 40 },
    minutes: [
      { at: iso(at(0)), viewers: 10, submitted: 1, approved: 0, answered: 0 },
      { at: iso(at(1)), viewers: 40, submitted: 2, approved: 1, answered: 0 },
      { at: iso(at(4)), viewers: 20, submitted: 0, approved: 2, answered: 1 },
    ],
  };

  test('server minutes, carried forward over the minutes left out, then live tallies', () => {
    let series = withServerSeries(emptySittingSeries(), server);
    series = withTally(series, { viewers: 25, questions: { submitted: 3, approved: 2, answered: 1 } }, at(5, 10));
    series = withTally(series, { viewers: 22, questions: { submitted: 1, approved: 3, answered: 1 } }, at(5, 40));
    const lines = sittingPoints(series, { start: at(0), end: at(5, 50) });
    assert.deepEqual(values(lines.audience), [10, 40, 40, 40, 20, 25]);
    assert.deepEqual(values(lines.submitted), [1, 2, 2, 2, 0, 1]);
    assert.deepEqual(values(lines.approved), [0, 1, 1, 1, 2, 3]);
    assert.deepEqual(lines.peak, { t: at(1), v: 40 });
  });

  test('a window that starts after the first minute carries the earlier values in; no minute, no points', () => {
    const series = withServerSeries(emptySittingSeries(), server);
    const lines = sittingPoints(series, { start: at(2), end: at(3) });
    assert.deepEqual(values(lines.audience), [40, 40]);
    assert.deepEqual(sittingPoints(emptySittingSeries(), { start: at(0), end: at(5) }).audience, []);
    assert.equal(sittingPoints(emptySittingSeries(), { start: at(0), end: at(5) }).peak, null);
    assert.equal(withServerSeries(series, { minutes: 'no' }), series);
    assert.equal(withTally(series, null, at(1)), series);
  });

  test('the example answer of GET /api/v1/dashboard/series', () => {
    const answer = example('http', 'dashboard-series');
    let series = emptySittingSeries();
    const live = answer.sittings.find((s) => s.minutes.length > 1);
    series = withServerSeries(series, live);
    const end = Date.parse(answer.at);
    const lines = sittingPoints(series, { start: Date.parse(live.minutes[0].at), end });
    assert.equal(lines.peak.v, live.peak.viewers);
    assert.equal(lines.peak.t, Date.parse(live.peak.at));
    assert.equal(lines.answered.at(-1).v, live.minutes.at(-1).answered);
  });

  test('the window: the last three hours, from the first minute known, at least a quarter of an hour', () => {
    const series = withServerSeries(emptySittingSeries(), server);
    assert.deepEqual(sittingWindow(series, at(5)), { start: at(5) - 15 * MINUTE_MS, end: at(5) });
    assert.deepEqual(sittingWindow(series, at(60)), { start: at(0), end: at(60) });
    assert.deepEqual(sittingWindow(series, at(600)), { start: at(600) - WINDOW_MS, end: at(600) });
    assert.deepEqual(sittingWindow(emptySittingSeries(), at(5)), { start: at(5) - 15 * MINUTE_MS, end: at(5) });
  });
});

describe('tables', () => {
  const points = [0, 1, 2, 3, 4, 5, 6].map((m) => ({ t: at(m), v: m }));

  test('rows of 1 to 60 minutes so that the window fits in 36 rows', () => {
    assert.equal(rowMinutes(at(0), at(30)), 1);
    assert.equal(rowMinutes(at(0), at(37)), 5);
    assert.equal(rowMinutes(T0 - WINDOW_MS, T0), 5);
    assert.equal(rowMinutes(T0 - 12 * 60 * MINUTE_MS, T0), 30);
  });

  test('grouped rows, newest first: sums, highest or last value', () => {
    assert.deepEqual(tableRows(points, { minutes: 5, reduce: 'sum' }), [{ t: at(5), v: 11 }, { t: at(0), v: 10 }]);
    assert.deepEqual(tableRows(points, { minutes: 5, reduce: 'max' }), [{ t: at(5), v: 6 }, { t: at(0), v: 4 }]);
    assert.deepEqual(tableRows(points.slice().reverse(), { minutes: 5, reduce: 'last' }).map((r) => r.v), [5, 0]);
    assert.equal(tableRows(points).length, 7);
  });

  test('summary: total, the earliest highest point, the latest value', () => {
    assert.deepEqual(summary([{ t: 1, v: 2 }, { t: 2, v: 5 }, { t: 3, v: 5 }, { t: 4, v: 1 }]), { total: 13, peak: { t: 2, v: 5 }, latest: 1 });
    assert.deepEqual(summary([]), { total: 0, peak: null, latest: 0 });
    assert.equal(minuteOf(at(3, 59)), at(3));
  });
});
