import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime, pageTimeZone, timeFormat } from '../js/time-text.js';

const at = new Date(Date.UTC(2026, 10, 30, 14, 5));

test('times are in the page zone and language, as the server writes them', () => {
  assert.equal(formatTime(timeFormat('fr', 'Europe/Paris', 'time'), at), '15:05');
  assert.equal(formatTime(timeFormat('en', 'UTC', 'time'), at), '2:05 PM');
  assert.equal(formatTime(timeFormat('en', 'UTC', 'clock'), at), '14:05');
  assert.equal(formatTime(timeFormat('fr', 'UTC', 'date'), at), '30 novembre 2026');
  assert.equal(formatTime(timeFormat('en', 'Pacific/Auckland', 'date'), at), 'December 1, 2026');
});

test('the zone comes from <html data-time-zone>; an unknown one is ignored', () => {
  const doc = (zone) => ({ documentElement: { dataset: zone ? { timeZone: zone } : {} } });
  assert.equal(pageTimeZone(doc('Europe/London')), 'Europe/London');
  assert.equal(pageTimeZone(doc('Mars/Olympus')), undefined);
  assert.equal(pageTimeZone(doc(null)), undefined);
  assert.equal(pageTimeZone(undefined), undefined);
});
