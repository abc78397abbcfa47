// The pure logic of the petition lifecycle's scripts: the character counters (js/character-counter.js, used by
// js/petition-new.js), copying the supporter link (js/copy-link.js), and the moderators' page
// (js/petition-moderation-state.js, js/staff-petitions.js). The DOM wiring is exercised with small fakes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ApiError } from '../js/api.js';
import { counterMax, fieldCounter, wireCharacterCounter } from '../js/character-counter.js';
import { copyResultKey, copyText } from '../js/copy-link.js';
import { translator } from '../js/i18n.js';
import { COUNTED_FIELDS } from '../js/petition-new.js';
import {
  ACTION_FROM, ACTION_RESULT, PETITION_ACTIONS, PETITION_BUTTON_KEYS, PETITION_DONE_KEYS, PETITION_STATE_KEYS,
  QUEUE_STATES, actionsFor, applyModeration, focusAfterRemoval, formatDateTime, moderationErrorText,
  moderationPayload, normaliseQueue, petitionStateText, resultState, shorten,
} from '../js/petition-moderation-state.js';
import { QUEUE_PATH, moderationPath } from '../js/staff-petitions.js';
import { FakeClock, REPO_ROOT } from './support/fakes.mjs';

const load = (lang) => JSON.parse(readFileSync(join(REPO_ROOT, 'WebClient', 'i18n', `${lang}.json`), 'utf8'));
const en = load('en');
const fr = load('fr');
const tEn = translator(en, { lang: 'en' });

describe('character counters', () => {
  test('fieldCounter: remaining, over, nothing without a limit; counted as the server counts', () => {
    assert.deepEqual(fieldCounter(tEn, 'Free buses', 80), { text: 'You have 70 characters remaining', over: false, hidden: false });
    assert.deepEqual(fieldCounter(tEn, 'x'.repeat(79), 80), { text: 'You have 1 character remaining', over: false, hidden: false });
    assert.deepEqual(fieldCounter(tEn, 'x'.repeat(82), 80), { text: 'You have 2 characters too many', over: true, hidden: false });
    assert.deepEqual(fieldCounter(tEn, 'abc', Number.NaN), { text: '', over: false, hidden: true });
    assert.equal(fieldCounter(tEn, '  spaces  ', 6).text, 'You have 0 characters remaining', 'trimmed, like the server');
    assert.equal(fieldCounter(tEn, '👍🏽👍🏽', 10).text, 'You have 8 characters remaining', 'grapheme clusters');
    assert.equal(fieldCounter(translator(fr, { lang: 'fr' }), 'abc', 4).text, 'Il vous reste 1 caractère');
  });

  test('counterMax: the counter\'s data-max, else the field\'s data-max-length', () => {
    assert.equal(counterMax({ dataset: {} }, { dataset: { max: '80' } }), 80);
    assert.equal(counterMax({ dataset: { maxLength: '300' } }, { dataset: {} }), 300);
    assert.ok(Number.isNaN(counterMax({ dataset: {} }, { dataset: { max: '' } })));
    assert.ok(Number.isNaN(counterMax(null, null)));
  });

  test('wireCharacterCounter: shows the count at once, speaks only after a pause, once', () => {
    const clock = new FakeClock();
    const listeners = {};
    const input = { value: 'Hello', addEventListener: (name, fn) => { listeners[name] = fn; } };
    const classes = new Set();
    const counter = { hidden: true, textContent: '', dataset: { max: '10' }, classList: { toggle: (c, on) => (on ? classes.add(c) : classes.delete(c)) } };
    const live = { textContent: '' };
    const wired = wireCharacterCounter({ t: tEn, input, counter, live, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout });
    assert.ok(wired);
    assert.equal(counter.hidden, false);
    assert.equal(counter.textContent, 'You have 5 characters remaining');
    assert.equal(live.textContent, '', 'nothing spoken on load');
    input.value = 'Hello, world';
    listeners.input();
    input.value = 'Hello, world!';
    listeners.input();
    assert.equal(counter.textContent, 'You have 3 characters too many');
    assert.ok(classes.has('character-count--over'));
    assert.equal(live.textContent, '');
    clock.advance(1000);
    assert.equal(live.textContent, 'You have 3 characters too many');
    assert.equal(clock.pending().length, 0, 'the first timer was replaced, not added to');
    assert.equal(wireCharacterCounter({ t: tEn, input: null, counter }), null);
  });

  test('the counted fields are the server\'s limits', () => {
    assert.deepEqual([...COUNTED_FIELDS], ['action', 'background', 'additional_details']);
  });
});

describe('copying the supporter link', () => {
  const fakeInput = () => { const input = { selected: 0, select() { this.selected += 1; } }; return input; };

  test('the Clipboard API first', async () => {
    const written = [];
    const input = fakeInput();
    assert.equal(await copyText('https://x.example/s', { clipboard: { writeText: async (s) => { written.push(s); } }, input, execCommand: () => assert.fail('not needed') }), 'copied');
    assert.deepEqual(written, ['https://x.example/s']);
    assert.equal(input.selected, 0, 'focus stays on the button');
  });

  test('refused clipboard: execCommand on the selected field; else the field is left selected', async () => {
    const refused = { writeText: async () => { throw new Error('NotAllowedError'); } };
    const input = fakeInput();
    assert.equal(await copyText('u', { clipboard: refused, input, execCommand: (c) => c === 'copy' }), 'copied');
    assert.ok(input.selected >= 1);
    assert.equal(await copyText('u', { clipboard: refused, input, execCommand: () => false }), 'selected');
    assert.equal(await copyText('u', { input, execCommand: () => { throw new Error('unsupported'); } }), 'selected');
    assert.equal(await copyText('u', {}), 'selected');
  });

  test('the status texts exist in every language', () => {
    for (const result of ['copied', 'selected']) {
      const key = copyResultKey(result);
      assert.ok(key in en && key in fr, key);
    }
    assert.notEqual(copyResultKey('copied'), copyResultKey('selected'));
  });
});

describe('petition moderation: states and actions', () => {
  test('the actions each state allows (PETITIONS.md §1)', () => {
    assert.deepEqual(actionsFor('sponsored'), ['publish', 'reject', 'hide', 'flag']);
    assert.deepEqual(actionsFor('flagged'), ['publish', 'reject', 'hide']);
    assert.deepEqual(actionsFor('open'), ['reject', 'hide']);
    for (const state of ['pending', 'validated', 'closed', 'rejected', 'hidden', '', undefined]) assert.deepEqual(actionsFor(state), [], String(state));
    assert.deepEqual(Object.keys(ACTION_FROM), [...PETITION_ACTIONS]);
    assert.deepEqual(Object.keys(ACTION_RESULT), [...PETITION_ACTIONS]);
  });

  test('request bodies', () => {
    assert.deepEqual(moderationPayload('publish'), { action: 'publish' });
    assert.deepEqual(moderationPayload('hide'), { action: 'hide' });
    assert.deepEqual(moderationPayload('flag', { code: 'ignored' }), { action: 'flag' });
    assert.deepEqual(moderationPayload('reject', { code: 'duplicate' }), { action: 'reject', code: 'duplicate' });
    assert.deepEqual(moderationPayload('reject', { code: ' duplicate ', details: '  See petition 12.  ' }), { action: 'reject', code: 'duplicate', details: 'See petition 12.' });
    assert.deepEqual(moderationPayload('reject', { code: 'duplicate', details: '   ' }), { action: 'reject', code: 'duplicate' }, 'empty details left out');
    assert.equal(moderationPayload('reject', { code: '' }), null, 'a rejection needs a code');
    assert.equal(moderationPayload('reject'), null);
    assert.equal(moderationPayload('delete'), null);
  });

  test('the queue from the API answer: checked, defaulted, deduplicated, oldest first', () => {
    const queue = normaliseQueue({
      petitions: [
        { id: 9, action: 'B', background: 'bg', additional_details: '', state: 'flagged', creator_name: null, signature_count: 6, created_at: '2026-11-02T10:00:00Z' },
        { id: 3, action: 'A', background: 'bg', additional_details: 'more', state: 'sponsored', creator_name: 'Ada', signature_count: 5, created_at: '2026-11-01T10:00:00Z' },
        { id: 3, action: 'duplicate' },
        { id: '4', action: 'string id' },
        { id: 5.5 },
        null,
        { id: 12, signature_count: -1, creator_name: '  ' },
      ],
    });
    assert.deepEqual(queue.map((p) => p.id), [3, 9, 12]);
    assert.equal(queue[0].creator_name, 'Ada');
    assert.equal(queue[1].creator_name, null);
    assert.deepEqual(queue[2], { id: 12, action: '', background: '', additional_details: '', state: '', creator_name: null, signature_count: 0, created_at: '' });
    assert.deepEqual(normaliseQueue(null), []);
    assert.deepEqual(normaliseQueue({ petitions: 'no' }), []);
  });

  test('an answer: a petition still in the queue (flagged) is updated, any other state removes it', () => {
    const before = [{ id: 1, state: 'sponsored' }, { id: 2, state: 'sponsored' }];
    const flagged = applyModeration(before, 2, 'flagged');
    assert.deepEqual(flagged, [{ id: 1, state: 'sponsored' }, { id: 2, state: 'flagged' }]);
    assert.deepEqual(before[1], { id: 2, state: 'sponsored' }, 'the input is untouched');
    for (const state of ['open', 'rejected', 'hidden']) assert.deepEqual(applyModeration(before, 1, state).map((p) => p.id), [2], state);
    assert.deepEqual([...QUEUE_STATES], ['sponsored', 'flagged']);
    assert.equal(resultState('publish', { id: 1, state: 'open' }), 'open');
    assert.equal(resultState('flag', null), 'flagged', 'the action\'s result when the answer does not say');
    assert.equal(resultState('hide', { state: '' }), 'hidden');
  });

  test('focus after a removal: the next item, else the previous, else none', () => {
    assert.equal(focusAfterRemoval([1, 2, 3], 2), 3);
    assert.equal(focusAfterRemoval([1, 2, 3], 3), 2);
    assert.equal(focusAfterRemoval([1], 1), null);
    assert.equal(focusAfterRemoval([1, 2], 7), null);
  });

  test('words: excerpts, states, dates', () => {
    assert.equal(shorten('  a\n b  '), 'a b');
    assert.equal(shorten('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
    assert.equal(petitionStateText(tEn, 'sponsored'), 'Awaiting moderation');
    assert.equal(petitionStateText(tEn, 'flagged'), 'Flagged for review');
    assert.equal(petitionStateText(tEn, 'mystery'), 'mystery');
    assert.match(formatDateTime('2026-11-02T10:05:00Z', 'en-GB', 'UTC'), /2 Nov 2026.*10:05/);
    assert.equal(formatDateTime('not a date'), '');
    assert.equal(formatDateTime(undefined), '');
  });

  test('refusals: the server\'s message, else ours', () => {
    const messages = [];
    const t = (key) => { messages.push(key); return `[${key}]`; };
    const conflict = new ApiError({ status: 409, code: 'petition_state_conflict', message: 'Cannot publish a petition that is open.' });
    assert.equal(moderationErrorText(t, conflict), 'Cannot publish a petition that is open.');
    assert.equal(moderationErrorText(t, new ApiError({ status: 409, code: 'petition_state_conflict', message: '' })), '[petition_state_conflict]');
    assert.equal(moderationErrorText(t, new ApiError({ status: 0, code: 'network_error', message: 'Failed to fetch' })), '[network_failed]');
    assert.equal(moderationErrorText(t, new ApiError({ status: 401, code: 'unauthorized', message: 'Sign in.' })), '[session_expired]');
    assert.equal(moderationErrorText(t, new ApiError({ status: 403, code: 'forbidden', message: '' })), '[petition_moderation_forbidden]');
    assert.equal(moderationErrorText(t, new TypeError('boom')), '[action_failed]');
    for (const key of messages) assert.ok(key in en && key in fr, key);
  });

  test('every key the moderators\' page looks up exists in every language', () => {
    const keys = [
      ...Object.values(PETITION_STATE_KEYS), ...Object.values(PETITION_DONE_KEYS), ...Object.values(PETITION_BUTTON_KEYS),
      'petition_signatures_one', 'petition_signatures_other', 'petition_queue_length_one', 'petition_queue_length_other',
    ];
    for (const key of keys) assert.ok(key in en && key in fr, key);
    for (const key of Object.values(PETITION_DONE_KEYS)) assert.match(en[key], /\{text\}/);
  });

  test('the API paths', () => {
    assert.equal(QUEUE_PATH, '/api/v1/petitions/moderation-queue');
    assert.equal(moderationPath(12), '/api/v1/petitions/12/moderation');
  });
});

describe('the server\'s title keys', () => {
  test('exist in every language', () => {
    for (const key of ['petition_new_title', 'petition_created_title', 'confirm_title', 'confirmed_title', 'staff_petitions_title']) {
      assert.ok(key in en && key in fr, key);
    }
  });
});
