// The throttled aria-live announcer.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Announcer } from '../js/announcer.js';
import { FakeClock } from './support/fakes.mjs';

function setup(options = {}) {
  const clock = new FakeClock();
  const spoken = [];
  const element = {
    _text: '',
    get textContent() { return this._text; },
    set textContent(value) { this._text = value; spoken.push({ at: clock.now, text: value }); },
  };
  const announcer = new Announcer(element, {
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, now: () => clock.now, ...options,
  });
  return { announcer, clock, spoken, element };
}

describe('Announcer', () => {
  test('the first change is announced at once; later ones wait for the end of the 10 s window', () => {
    const { announcer, clock, spoken } = setup();
    announcer.announce('1,235 signatures');
    assert.deepEqual(spoken, [{ at: 0, text: '1,235 signatures' }]);
    clock.advance(2000);
    announcer.announce('1,236 signatures');
    clock.advance(1000);
    announcer.announce('1,240 signatures');
    assert.equal(spoken.length, 1, 'nothing more inside the window');
    assert.equal(announcer.pending, '1,240 signatures');
    clock.advance(6999);
    assert.equal(spoken.length, 1);
    clock.advance(1);
    assert.deepEqual(spoken[1], { at: 10_000, text: '1,240 signatures' }, 'trailing edge, latest value');
    assert.equal(announcer.pending, null);
  });

  test('a steady stream of changes: at most one announcement per 10 s, and the last value is never lost', () => {
    const { announcer, clock, spoken } = setup();
    let n = 1000;
    for (let t = 0; t < 60_000; t += 100) {
      announcer.announce(`${n += 1} signatures`);
      clock.advance(100);
    }
    clock.advance(10_000);
    for (let i = 1; i < spoken.length; i += 1) {
      assert.ok(spoken[i].at - spoken[i - 1].at >= 10_000, `${spoken[i - 1].at} -> ${spoken[i].at}`);
    }
    assert.ok(spoken.length >= 6 && spoken.length <= 7, `${spoken.length} announcements in 70 s`);
    assert.equal(spoken.at(-1).text, `${n} signatures`);
  });

  test('after a quiet window the next change is immediate again', () => {
    const { announcer, clock, spoken } = setup();
    announcer.announce('a');
    clock.advance(25_000);
    announcer.announce('b');
    assert.deepEqual(spoken.map((s) => [s.at, s.text]), [[0, 'a'], [25_000, 'b']]);
  });

  test('with leading: false even the first change waits for the interval', () => {
    const { announcer, clock, spoken } = setup({ leading: false, intervalMs: 5000 });
    announcer.announce('a');
    announcer.announce('b');
    assert.deepEqual(spoken, []);
    clock.advance(5000);
    assert.deepEqual(spoken, [{ at: 5000, text: 'b' }]);
  });

  test('the same text is not announced twice (a live region would stay silent)', () => {
    const { announcer, clock, spoken } = setup();
    announcer.announce('a');
    clock.advance(11_000);
    announcer.announce('a');
    assert.equal(spoken.length, 1);
    announcer.announce('b');
    assert.equal(spoken.length, 2, 'the skipped repeat did not use up the window');
  });

  test('flush() announces the waiting text now; cancel() drops it', () => {
    const { announcer, clock, spoken } = setup();
    announcer.announce('a');
    announcer.announce('b');
    announcer.flush();
    assert.deepEqual(spoken.map((s) => s.text), ['a', 'b']);
    announcer.announce('c');
    announcer.cancel();
    clock.advance(20_000);
    assert.deepEqual(spoken.map((s) => s.text), ['a', 'b']);
    assert.deepEqual(clock.pending(), []);
  });

  test('the default interval is 10 s', () => {
    const { announcer, clock } = setup();
    announcer.announce('a');
    announcer.announce('b');
    assert.deepEqual(clock.pending().map((t) => t.delay), [10_000]);
  });
});
