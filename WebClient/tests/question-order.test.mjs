import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CALM_MS, arrange, emptyOrder, movedCount, nextTick, pendingMoves, reduceOrder, stableOrder,
} from '../js/question-order.js';

test('stableOrder keeps what is shown, drops what left, appends what is new', () => {
  assert.deepEqual(stableOrder([1, 2, 3], [3, 2, 1]), [1, 2, 3]);
  assert.deepEqual(stableOrder([1, 2, 3], [3, 1, 4]), [1, 3, 4]);
  assert.deepEqual(stableOrder([], [5, 6]), [5, 6]);
});

test('movedCount counts the places that differ', () => {
  assert.equal(movedCount([1, 2, 3], [1, 2, 3]), 0);
  assert.equal(movedCount([1, 2, 3], [2, 1, 3]), 2);
  assert.equal(movedCount(null, [1]), 0);
});

test('the first order is taken as it is', () => {
  const s = reduceOrder(emptyOrder(), { type: 'sorted', ids: [2, 1], now: 0 });
  assert.deepEqual(s.shown, [2, 1]);
  assert.equal(pendingMoves(s), 0);
  assert.equal(nextTick(s), null);
});

test('a vote while the viewer interacts does not move the list; a calm moment applies the new order', () => {
  let s = reduceOrder(emptyOrder(), { type: 'sorted', ids: [1, 2, 3], now: 0 });
  s = reduceOrder(s, { type: 'interact', now: 10_000 });           // pressed Vote on question 3
  s = reduceOrder(s, { type: 'sorted', ids: [3, 1, 2], now: 10_050 }); // the vote puts it first
  assert.deepEqual(s.shown, [1, 2, 3], 'nothing moved under the finger');
  assert.equal(pendingMoves(s), 3);
  assert.equal(nextTick(s), 10_000 + CALM_MS);
  assert.equal(reduceOrder(s, { type: 'tick', now: 10_000 + CALM_MS - 1 }), s, 'too early');
  s = reduceOrder(s, { type: 'interact', now: 12_000 });            // still scrolling: the calm moment moves on
  assert.equal(nextTick(s), 12_000 + CALM_MS);
  assert.equal(reduceOrder(s, { type: 'tick', now: 10_000 + CALM_MS }), s);
  s = reduceOrder(s, { type: 'tick', now: 12_000 + CALM_MS });
  assert.deepEqual(s.shown, [3, 1, 2]);
  assert.equal(pendingMoves(s), 0);
});

test('the viewer can ask for the new order at once; without recent interaction votes re-sort at once', () => {
  let s = reduceOrder(emptyOrder(), { type: 'sorted', ids: [1, 2], now: 0 });
  s = reduceOrder(s, { type: 'interact', now: 100 });
  s = reduceOrder(s, { type: 'sorted', ids: [2, 1], now: 200 });
  assert.deepEqual(reduceOrder(s, { type: 'apply' }).shown, [2, 1]);
  const idle = reduceOrder(reduceOrder(emptyOrder(), { type: 'sorted', ids: [1, 2], now: 0 }), { type: 'sorted', ids: [2, 1], now: 60_000 });
  assert.deepEqual(idle.shown, [2, 1], 'nobody touched the list lately');
});

test('a new question is added at the end while the order is held; a removed one leaves', () => {
  let s = reduceOrder(emptyOrder(), { type: 'sorted', ids: [1, 2], now: 0 });
  s = reduceOrder(s, { type: 'interact', now: 1 });
  s = reduceOrder(s, { type: 'sorted', ids: [3, 2], now: 2 });
  assert.deepEqual(s.shown, [2, 3]);
  const qs = [{ id: 2, text: 'b' }, { id: 3, text: 'c' }];
  assert.deepEqual(arrange(s, qs).map((q) => q.text), ['b', 'c']);
});
