// The strings files and js/i18n.js.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { format, loadStrings, pluralCategory, translator } from '../js/i18n.js';
import { QUESTION_STATE_KEYS, SITTING_STATE_KEYS } from '../js/hearing-text.js';
import { DONE_KEYS } from '../js/moderate-page.js';
import { REPO_ROOT } from './support/fakes.mjs';

const WEB = join(REPO_ROOT, 'WebClient');
const load = (lang) => JSON.parse(readFileSync(join(WEB, 'i18n', `${lang}.json`), 'utf8'));
const en = load('en');
const fr = load('fr');
const placeholders = (text) => [...text.matchAll(/\{([a-z0-9_]+)\}/gi)].map((m) => m[1]).sort();

describe('the strings files', () => {
  test('English and French have the same keys', () => {
    assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  });

  test('flat objects of snake_case keys to non-empty strings', () => {
    for (const [lang, strings] of [['en', en], ['fr', fr]]) {
      for (const [key, value] of Object.entries(strings)) {
        assert.match(key, /^[a-z][a-z0-9_]*$/, `${lang}: ${key}`);
        assert.equal(typeof value, 'string', `${lang}.${key}`);
        assert.notEqual(value.trim(), '', `${lang}.${key} is empty`);
      }
    }
  });

  test('each translation has the same placeholders as the English', () => {
    for (const key of Object.keys(en)) assert.deepEqual(placeholders(fr[key]), placeholders(en[key]), key);
  });

  test('the keys are sorted, as the files are kept', () => {
    for (const strings of [en, fr]) assert.deepEqual(Object.keys(strings), Object.keys(strings).sort());
  });

  test('the connection status does not read like the sitting state next to it', () => {
    for (const strings of [en, fr]) {
      assert.notEqual(strings.status_live, strings.sitting_state_live);
      assert.notEqual(strings.status_live, strings.question_state_on_screen);
    }
  });

  test('plural keys come in pairs (_one and _other)', () => {
    for (const key of Object.keys(en)) {
      if (key.endsWith('_one')) assert.ok(`${key.slice(0, -4)}_other` in en, key);
    }
  });

  test('the keys the server reads for titles, flashes and the moderation log exist', () => {
    // Sources/HemicycleApp (Localization.text): page titles, no-JS flashes, Open Graph, log and count labels.
    const server = [
      'login_title', 'staff_home_title', 'password_title', 'password_changed', 'sittings_title', 'dashboard_title',
      'moderate_title', 'chair_title', 'moderation_log_title', 'og_sitting_description', 'ask_thanks', 'anonymous',
      'votes_one', 'votes_other',
      ...['scheduled', 'live', 'ended'].map((s) => `sitting_state_${s}`),
      ...['submitted', 'approved', 'rejected', 'on_screen', 'answered', 'merged', 'withdrawn'].map((s) => `question_state_${s}`),
      ...['approve', 'reject', 'edit', 'merge', 'tag', 'priority', 'withdraw', 'on_screen', 'answered', 'vote', 'unvote'].map((a) => `action_${a}`),
    ];
    assert.deepEqual(server.filter((key) => !(key in en)), []);
  });

  test('every key the scripts ask for exists', () => {
    const wanted = new Set([...Object.values(QUESTION_STATE_KEYS), ...Object.values(SITTING_STATE_KEYS), ...Object.values(DONE_KEYS)]);
    for (const file of readdirSync(join(WEB, 'js')).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(join(WEB, 'js', file), 'utf8').replace(/^\s*\/\/.*$/gm, '');
      for (const m of source.matchAll(/\bt\(\s*'([a-z0-9_]+)'/g)) wanted.add(m[1]);
      for (const m of source.matchAll(/errorText\([^,]+,\s*'([a-z0-9_]+)'\)/g)) wanted.add(m[1]);
      for (const m of source.matchAll(/\bt\.plural\(\s*'([a-z0-9_]+)'/g)) { wanted.add(`${m[1]}_one`); wanted.add(`${m[1]}_other`); }
    }
    for (const name of ['response', 'debate']) wanted.add(`threshold_${name}`);
    const missing = [...wanted].filter((key) => !(key in en));
    assert.deepEqual(missing, []);
  });
});

describe('format', () => {
  test('replaces {name} placeholders', () => {
    assert.equal(format('{n} votes', { n: 3 }), '3 votes');
    assert.equal(format('Claimed by {name} at {time}', { name: 'Ana', time: '14:05' }), 'Claimed by Ana at 14:05');
    assert.equal(format('{n} of {n}', { n: 2 }), '2 of 2');
  });

  test('leaves unknown placeholders and other braces alone; values are text', () => {
    assert.equal(format('{n} votes', {}), '{n} votes');
    assert.equal(format('{n} votes'), '{n} votes');
    assert.equal(format('a {b c} d', { b: 'x' }), 'a {b c} d');
    assert.equal(format('{x}', { x: null }), '{x}');
    assert.equal(format('{x}', { x: '<b>{y}</b>', y: 'no' }), '<b>{y}</b>', 'no second pass, no markup interpretation');
    assert.equal(format('{x}', { x: 0 }), '0');
  });
});

describe('translator', () => {
  test('looks keys up and formats them', () => {
    const t = translator({ vote: 'Vote', claimed_by: 'Claimed by {name}' });
    assert.equal(t('vote'), 'Vote');
    assert.equal(t('claimed_by', { name: 'Ana' }), 'Claimed by Ana');
    assert.ok(t.has('vote'));
    assert.ok(!t.has('nope'));
  });

  test('a missing key gives the key itself, reported once', () => {
    const missing = [];
    const t = translator({}, { onMissing: (key) => missing.push(key) });
    assert.equal(t('nope'), 'nope');
    assert.equal(t('nope'), 'nope');
    assert.deepEqual(missing, ['nope']);
  });

  test('plural picks _one/_other by the language rules', () => {
    const tEn = translator({ votes_one: '{n} vote', votes_other: '{n} votes' }, { lang: 'en' });
    assert.equal(tEn.plural('votes', 1), '1 vote');
    assert.equal(tEn.plural('votes', 0), '0 votes');
    assert.equal(tEn.plural('votes', 2, { n: '2' }), '2 votes');
    assert.equal(tEn.plural('votes', 1234, { n: '1,234' }), '1,234 votes', 'formatted number passed in');
    const tFr = translator({ votes_one: '{n} vote', votes_other: '{n} votes' }, { lang: 'fr' });
    assert.equal(tFr.plural('votes', 0), '0 vote', 'French: 0 is singular');
    assert.equal(tFr.plural('votes', 1000000), '1000000 votes', "a 'many' category falls back to _other");
  });

  test('pluralCategory', () => {
    assert.equal(pluralCategory(1, 'en'), 'one');
    assert.equal(pluralCategory(0, 'en'), 'other');
    assert.equal(pluralCategory(1, 'not a language tag!'), 'one');
  });
});

describe('loadStrings', () => {
  const fakeDoc = (text) => ({ getElementById: (id) => (id === 'hc-strings' && text !== null ? { textContent: text } : null) });

  test('reads the JSON block (with \\u003c escapes as the server writes them)', () => {
    assert.deepEqual(loadStrings(fakeDoc('{"a":"\\u003cb>","n":"{n} votes"}')), { a: '<b>', n: '{n} votes' });
  });

  test('a missing or broken block gives {}', () => {
    assert.deepEqual(loadStrings(fakeDoc(null)), {});
    assert.deepEqual(loadStrings(fakeDoc('not json')), {});
    assert.deepEqual(loadStrings(fakeDoc('[1,2]')), {});
    assert.deepEqual(loadStrings(undefined), {});
  });
});
