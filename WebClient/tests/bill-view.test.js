import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { countNoun, countsFor, isShown, markerEId, newVersionNotice, passageSelectors } from '../js/bill-view.js';
import { translator } from '../js/i18n.js';

test('countsFor reads a key and defaults to zeros', () => {
  assert.deepEqual(countsFor({ sec_1: { total: 3, rewordings: 1, supports: 7 } }, 'sec_1'), { total: 3, rewordings: 1, supports: 7 });
  assert.deepEqual(countsFor({ sec_1: { total: -1, supports: 'x' } }, 'sec_1'), { total: 0, rewordings: 0, supports: 0 });
  assert.deepEqual(countsFor(null, 'sec_2'), { total: 0, rewordings: 0, supports: 0 });
});

test('countNoun agrees with its count in each language (the live counts of the reading page)', () => {
  const strings = (lang) => JSON.parse(readFileSync(new URL(`../i18n/${lang}.json`, import.meta.url), 'utf8'));
  const en = translator(strings('en'), { lang: 'en' });
  const fr = translator(strings('fr'), { lang: 'fr' });
  assert.equal(countNoun(en, 'total', 1), 'comment');
  assert.equal(countNoun(en, 'total', 0), 'comments');
  assert.equal(countNoun(en, 'rewordings', 2), 'rewordings');
  assert.equal(countNoun(en, 'supports', 1), 'support');
  assert.equal(countNoun(fr, 'total', 1), 'commentaire');
  assert.equal(countNoun(fr, 'total', 0), 'commentaire', 'French takes the singular for 0');
  assert.equal(countNoun(fr, 'rewordings', 2), 'reformulations');
  assert.equal(countNoun(fr, 'supports', 1), 'soutien');
  assert.equal(countNoun(en, 'opposes', 1), null);
  assert.equal(countNoun(en, 'toString', 1), null);
});

test('markerEId', () => {
  assert.equal(markerEId({ eId: 'sec_2__subsec_a' }), 'sec_2__subsec_a');
  assert.equal(markerEId(null), null);
  assert.equal(markerEId({ eId: 3 }), null);
});

test('passageSelectors gives the quote, 32 code points of context and code-point positions', () => {
  const text = 'A 😀 chatbot provider may not provide a chatbot.';
  const start = text.indexOf('provider');
  const s = passageSelectors(text, start, start + 'provider'.length);
  assert.equal(s.quote.exact, 'provider');
  assert.equal(s.quote.prefix, 'A 😀 chatbot ');
  assert.equal(s.quote.suffix, ' may not provide a chatbot.');
  // The emoji is two UTF-16 units but one code point.
  assert.deepEqual(s.position, { start: start - 1, end: start - 1 + 8 });
  const long = 'x'.repeat(50) + 'word' + 'y'.repeat(50);
  const c = passageSelectors(long, 50, 54);
  assert.equal(c.quote.prefix.length, 32);
  assert.equal(c.quote.suffix.length, 32);
});

test('passageSelectors refuses empty, blank and out-of-range passages', () => {
  assert.equal(passageSelectors('abc', 1, 1), null);
  assert.equal(passageSelectors('a   b', 1, 4), null);
  assert.equal(passageSelectors('abc', 2, 9), null);
  assert.equal(passageSelectors(null, 0, 1), null);
});

test('isShown keeps published anchored comments only', () => {
  assert.equal(isShown({ state: 'published', anchor: { eId: 'sec_1' } }), true);
  assert.equal(isShown({ state: 'submitted', anchor: { eId: 'sec_1' } }), false);
  assert.equal(isShown({ state: 'published', anchor: null }), false);
  assert.equal(isShown(null), false);
});

test('queueOf keeps submitted comments, oldest first', async () => {
  const { queueOf } = await import('../js/bill-view.js');
  assert.deepEqual(queueOf([{ id: 3, state: 'submitted' }, { id: 1, state: 'published' }, { id: 2, state: 'submitted' }]).map((c) => c.id), [2, 3]);
  assert.deepEqual(queueOf(null), []);
});

test('listIdOf places a published comment under its clause, or on the bill as a whole', async () => {
  const { listIdOf } = await import('../js/bill-view.js');
  assert.equal(listIdOf({ state: 'published', anchor: { eId: 'sec_2__subsec_c' } }), 'comments-sec_2__subsec_c');
  // A later version removed its clause: the comment now stands on the bill as a whole.
  assert.equal(listIdOf({ state: 'published', anchor: null, anchor_status: 'orphaned' }), 'bill-level-comments');
  assert.equal(listIdOf({ state: 'submitted', anchor: { eId: 'sec_1' } }), null);
  assert.equal(listIdOf({ state: 'published', anchor: { eId: 7 } }), null);
  assert.equal(listIdOf(null), null);
});

test('carriedStatus says how a comment was carried from an earlier version, and nothing else', async () => {
  const { carriedStatus } = await import('../js/bill-view.js');
  for (const status of ['exact', 'moved', 'orphaned']) assert.equal(carriedStatus({ anchor_status: status }), status);
  assert.equal(carriedStatus({ anchor_status: null }), null);
  assert.equal(carriedStatus({ anchor_status: '<b>x</b>' }), null);
  assert.equal(carriedStatus(undefined), null);
});

test('newVersionNotice: a newer version with a reading page of this site, once', () => {
  const event = { version: 2, url: '/bills/1', changes_url: '/bills/1/versions/2/changes', published_at: '2026-12-08T01:30:00.000Z' };
  assert.deepEqual(newVersionNotice(event, 1), { version: 2, href: '/bills/1', changesHref: '/bills/1/versions/2/changes' });
  // The page shows version 2 already, or it was announced (another node's copy of the same event): nothing new.
  assert.equal(newVersionNotice(event, 2), null);
  assert.equal(newVersionNotice(event, 3), null);
  assert.deepEqual(newVersionNotice({ ...event, changes_url: null }, 1), { version: 2, href: '/bills/1', changesHref: null });
  assert.equal(newVersionNotice({ ...event, version: '2' }, 1), null, 'a number, not a string');
  assert.equal(newVersionNotice({ ...event, version: 2.5 }, 1), null);
  assert.equal(newVersionNotice(null, 1), null);
  assert.equal(newVersionNotice({ version: 2 }, 1), null, 'no URL, no notice');
});

test('newVersionNotice never links outside this site', () => {
  const base = { version: 2, changes_url: '/bills/1/versions/2/changes' };
  for (const url of ['https://evil.example/bills/1', '//evil.example/bills/1', 'javascript:alert(1)', '/bills/1/../../x', '/bills/01', ' /bills/1']) {
    assert.equal(newVersionNotice({ ...base, url }, 1), null, url);
  }
  for (const changes of ['https://evil.example/x', '/bills/1/versions/2/changes?x=1', 'javascript:alert(1)']) {
    assert.equal(newVersionNotice({ ...base, url: '/bills/1', changes_url: changes }, 1).changesHref, null, changes);
  }
});
