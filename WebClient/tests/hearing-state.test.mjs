// js/hearing-state.js: the public state of a sitting (snapshot and events of `sitting:{id}`), sort orders, time
// formatting, the participant's own questions, and js/hearing-text.js.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  HearingEvent, PUBLISHED_STATES, answeredQuestions, applyMineModerated, applyModerated, applyOnScreen, applyQuestion,
  applySnapshot, applyVotes, applyViewers, byPriority, byVotes, chairQueue, characterCount, elapsedSeconds,
  emptySittingState, formatOffset, isoDuration, nextQuestion, questionPayload, reduceSitting, sortForViewers, sortMine,
  topQuestions, viewerList,
} from '../js/hearing-state.js';
import { counterText, displayName, isPage, sittingStateText, stateText, votesText } from '../js/hearing-text.js';
import { translator } from '../js/i18n.js';
import { strings } from './support/contexts.mjs';

const q = (id, overrides = {}) => ({
  id, sitting_id: 1, text: `Question ${id}`, state: 'approved', votes: 0, name: null, region: null,
  submitted_at: `2026-11-29T14:0${id % 10}:00.000Z`, edited: false, tag: null, priority: 0, ...overrides,
});

function snapshot(overrides = {}) {
  return {
    id: 1, title: 'Rail fares', committee: 'Transport Committee', state: 'live', stream_url: '',
    stream_started_at: '2026-11-29T14:02:10.000Z', ended_at: null,
    counts: { submitted: 3, approved: 2, on_screen: 1, answered: 1 },
    viewers: 212, peak_viewers: 240,
    on_screen: q(3, { state: 'on_screen', votes: 9 }),
    questions: [q(1, { votes: 4 }), q(2, { votes: 7 }), q(3, { state: 'on_screen', votes: 9 }), q(4, { state: 'answered', votes: 20, answered_offset_seconds: 300 })],
    ...overrides,
  };
}
const ids = (list) => list.map((x) => x.id);

describe('applySnapshot', () => {
  test('replaces the whole state', () => {
    const before = applyQuestion(emptySittingState(1), q(99));
    const state = applySnapshot(before, snapshot());
    assert.deepEqual([...state.questions.keys()].sort(), [1, 2, 3, 4]);
    assert.equal(state.onScreen.id, 3);
    assert.equal(state.viewers, 212);
    assert.equal(state.peakViewers, 240);
    assert.equal(state.sitting.state, 'live');
    assert.equal(state.sitting.stream_started_at, '2026-11-29T14:02:10.000Z');
    assert.deepEqual(state.counts, { submitted: 3, approved: 2, on_screen: 1, answered: 1 });
    assert.ok(state.synced);
    assert.ok(!before.questions.has(1), 'the input is left as it was');
  });

  test('keeps only published questions and copes with junk', () => {
    const state = applySnapshot(emptySittingState(1), snapshot({ questions: [q(1), q(2, { state: 'submitted' }), null, { id: 'x' }], on_screen: null }));
    assert.deepEqual([...state.questions.keys()], [1]);
    assert.equal(state.onScreen, null);
    assert.equal(applySnapshot(state, null), state);
  });
});

describe('events', () => {
  const base = () => applySnapshot(emptySittingState(1), snapshot());

  test('question: upsert a published one; remove one that is not published any more', () => {
    let state = applyQuestion(base(), q(5, { votes: 1 }));
    assert.ok(state.questions.has(5));
    state = applyQuestion(state, q(1, { text: 'Edited', edited: true, votes: 4 }));
    assert.equal(state.questions.get(1).text, 'Edited');
    state = applyQuestion(state, q(2, { state: 'merged', merged_into: 1 }));
    assert.ok(!state.questions.has(2));
    state = applyQuestion(state, q(3, { state: 'answered', votes: 9 }));
    assert.equal(state.questions.get(3).state, 'answered');
    assert.equal(state.onScreen, null, 'the question on screen was answered');
    assert.equal(applyQuestion(state, { nope: 1 }), state);
  });

  test('question: one that comes on screen becomes the banner', () => {
    const state = applyQuestion(base(), q(1, { state: 'on_screen' }));
    assert.equal(state.onScreen.id, 1);
  });

  test('votes: counts of known questions, the banner too; unknown ids and bad values ignored', () => {
    const state = applyVotes(base(), { votes: { 1: 10, 3: 12, 42: 5, 2: 'x' } });
    assert.equal(state.questions.get(1).votes, 10);
    assert.equal(state.questions.get(2).votes, 7);
    assert.equal(state.onScreen.votes, 12);
    assert.ok(!state.questions.has(42));
    assert.equal(applyVotes(state, { nope: 1 }), state);
  });

  test('on_screen: set and clear the banner', () => {
    let state = applyOnScreen(base(), { question: q(2, { state: 'on_screen', votes: 7 }) });
    assert.equal(state.onScreen.id, 2);
    assert.equal(state.questions.get(2).state, 'on_screen');
    state = applyOnScreen(state, { question: null });
    assert.equal(state.onScreen, null);
  });

  test('moderated: a published question that is rejected or merged leaves the list', () => {
    let state = applyModerated(base(), { question_id: 2, action: 'merge', state: 'merged', merged_into: 1, at: 'x' });
    assert.ok(!state.questions.has(2));
    state = applyModerated(state, { question_id: 77, action: 'approve', state: 'approved', at: 'x' });
    assert.ok(!state.questions.has(77), 'a question not known yet arrives with its `question` event');
    state = applyModerated(state, { question_id: 3, action: 'reject', state: 'rejected', reason: { code: 'x', text: 'y' }, at: 'x' });
    assert.equal(state.onScreen, null);
  });

  test('sitting, viewers, counts; unknown events change nothing', () => {
    let state = reduceSitting(base(), HearingEvent.SITTING, { state: 'ended', stream_started_at: '2026-11-29T14:02:10.000Z', ended_at: '2026-11-29T16:00:00.000Z' });
    assert.equal(state.sitting.state, 'ended');
    assert.equal(state.sitting.ended_at, '2026-11-29T16:00:00.000Z');
    state = reduceSitting(state, HearingEvent.VIEWERS, { viewers: 180, peak_viewers: 230 });
    assert.equal(state.viewers, 180);
    assert.equal(state.peakViewers, 240, 'the peak never goes down');
    state = reduceSitting(state, HearingEvent.COUNTS, { submitted: 0 });
    assert.deepEqual(state.counts, { submitted: 0 });
    assert.equal(reduceSitting(state, 'something_new', {}), state);
    assert.equal(applyViewers(state, 'x'), state);
  });

  test('the same reducer for every event name', () => {
    const state = reduceSitting(base(), 'votes', { votes: { 1: 3 } });
    assert.equal(state.questions.get(1).votes, 3);
    assert.deepEqual(PUBLISHED_STATES, ['approved', 'on_screen', 'answered']);
  });
});

describe('orders', () => {
  const state = applySnapshot(emptySittingState(1), snapshot({
    questions: [
      q(1, { votes: 4 }), q(2, { votes: 7 }), q(3, { state: 'on_screen', votes: 9 }),
      q(4, { state: 'answered', votes: 20, answered_offset_seconds: 300 }),
      q(5, { state: 'answered', votes: 2, answered_offset_seconds: 100 }),
      q(6, { votes: 7, submitted_at: '2026-11-29T13:00:00.000Z', priority: 5, tag: 'Fares' }),
      q(7, { votes: 0, priority: 50, tag: 'Ticketing' }),
    ],
  }));

  test('viewers: open questions by votes (ties: the earlier first), answered ones after', () => {
    assert.deepEqual(ids(viewerList(state)), [3, 6, 2, 1, 7, 4, 5]);
    assert.deepEqual(ids(sortForViewers([q(1, { state: 'answered', votes: 99 }), q(2, { votes: 0 })])), [2, 1]);
  });

  test('screen: the top approved questions, not on screen, not answered', () => {
    assert.deepEqual(ids(topQuestions(state, 5)), [6, 2, 1, 7]);
    assert.deepEqual(ids(topQuestions(state, 2)), [6, 2]);
  });

  test('chair: by votes or by priority, filtered by tag; the next one', () => {
    assert.deepEqual(ids(chairQueue(state, { order: 'votes' })), [6, 2, 1, 7]);
    assert.deepEqual(ids(chairQueue(state, { order: 'priority' })), [7, 6, 2, 1]);
    assert.deepEqual(ids(chairQueue(state, { order: 'votes', tag: 'Fares' })), [6]);
    assert.equal(nextQuestion(state, { order: 'priority' }).id, 7);
    assert.equal(nextQuestion(state, { tag: 'Nothing' }), null);
  });

  test('answered: in the order they were answered', () => {
    assert.deepEqual(ids(answeredQuestions(state)), [5, 4]);
  });

  test('comparators', () => {
    assert.ok(byVotes(q(1, { votes: 5 }), q(2, { votes: 4 })) < 0);
    assert.ok(byVotes(q(1, { votes: 4 }), q(2, { votes: 4 })) < 0, 'earlier first');
    assert.ok(byPriority(q(1, { priority: -1, votes: 100 }), q(2, { priority: 0 })) > 0);
  });
});

describe('time', () => {
  test('formatOffset: m:ss under an hour, h:mm:ss from one hour (as record.json and chapters.txt)', () => {
    assert.equal(formatOffset(0), '0:00');
    assert.equal(formatOffset(1), '0:01');
    assert.equal(formatOffset(65), '1:05');
    assert.equal(formatOffset(599.9), '9:59');
    assert.equal(formatOffset(600), '10:00');
    assert.equal(formatOffset(3599), '59:59');
    assert.equal(formatOffset(3600), '1:00:00');
    assert.equal(formatOffset(3725), '1:02:05');
    assert.equal(formatOffset(3723), '1:02:03');
    assert.equal(formatOffset(36000 + 61), '10:01:01');
    assert.equal(formatOffset(-1), '');
    assert.equal(formatOffset(null), '');
    assert.equal(formatOffset(Number.NaN), '');
  });

  test('elapsedSeconds and isoDuration', () => {
    const start = '2026-11-29T14:00:00.000Z';
    assert.equal(elapsedSeconds(start, Date.parse('2026-11-29T14:01:05.900Z')), 65);
    assert.equal(elapsedSeconds(start, Date.parse('2026-11-29T13:00:00.000Z')), 0, 'never negative');
    assert.equal(elapsedSeconds(null), null);
    assert.equal(elapsedSeconds('nonsense'), null);
    assert.equal(isoDuration(3725), 'PT1H2M5S');
    assert.equal(isoDuration(60), 'PT1M');
    assert.equal(isoDuration(0), 'PT0S');
    assert.equal(isoDuration(-5), 'PT0S');
  });
});

describe('my questions', () => {
  const mine = [q(1, { state: 'submitted', mine: true }), q(2, { state: 'approved', mine: true })];

  test('moderated: my question approved or rejected is reported once', () => {
    let result = applyMineModerated(mine, { question_id: 1, action: 'reject', state: 'rejected', reason: { code: 'off_topic', text: 'Off topic' }, at: 'x' });
    assert.equal(result.mine[0].state, 'rejected');
    assert.deepEqual(result.mine[0].reason, { code: 'off_topic', text: 'Off topic' });
    assert.deepEqual(result.changes, [{ id: 1, state: 'rejected', reason: { code: 'off_topic', text: 'Off topic' } }]);
    result = applyMineModerated(result.mine, { question_id: 1, action: 'reject', state: 'rejected', at: 'x' });
    assert.deepEqual(result.changes, [], 'no change, nothing to announce');
    result = applyMineModerated(mine, { question_id: 1, action: 'approve', state: 'approved', at: 'x' });
    assert.deepEqual(result.changes.map((c) => c.state), ['approved']);
  });

  test('moderated: not mine leaves the list as it is', () => {
    const result = applyMineModerated(mine, { question_id: 99, action: 'approve', state: 'approved', at: 'x' });
    assert.equal(result.mine, mine);
    assert.deepEqual(result.changes, []);
  });

  test('newest first', () => {
    assert.deepEqual(ids(sortMine(mine)), [2, 1]);
  });
});

describe('the ask form', () => {
  test('characterCount: trimmed, NFC, grapheme clusters (as the server counts)', () => {
    assert.equal(characterCount('  hello  '), 5);
    assert.equal(characterCount('e\u0301'), 1, 'NFC');
    assert.equal(characterCount('👍🏽'), 1, 'one grapheme');
    assert.equal(characterCount('👨‍👩‍👧'), 1);
    assert.equal(characterCount(''), 0);
    assert.equal(characterCount(undefined), 0);
  });

  test('questionPayload: text trimmed; empty name and region left out; other fields ignored', () => {
    assert.deepEqual(questionPayload([['csrf_token', 'x'], ['text', ' Why? '], ['name', ''], ['region', ' Wales ']]), { text: 'Why?', region: 'Wales' });
    assert.deepEqual(questionPayload([]), { text: '' });
  });
});

describe('hearing-text', () => {
  const t = translator(strings('en'), { lang: 'en' });
  const numbers = new Intl.NumberFormat('en');

  test('names, states, votes', () => {
    assert.equal(displayName(t, { name: 'Ana' }), 'Ana');
    assert.equal(displayName(t, { name: null }), 'Anonymous');
    assert.equal(displayName(t, { name: '' }), 'Anonymous');
    assert.equal(stateText(t, 'on_screen'), 'On screen now');
    assert.equal(stateText(t, 'brand_new'), 'brand_new');
    assert.equal(sittingStateText(t, 'live'), 'Live');
    assert.equal(votesText(t, numbers, 1), '1 vote');
    assert.equal(votesText(t, numbers, 1234), '1,234 votes');
    assert.equal(votesText(t, numbers, undefined), '0 votes');
  });

  test('counterText', () => {
    assert.deepEqual(counterText(t, 270, 280), { text: 'You have 10 characters remaining', over: false });
    assert.deepEqual(counterText(t, 279, 280), { text: 'You have 1 character remaining', over: false });
    assert.deepEqual(counterText(t, 283, 280), { text: 'You have 3 characters too many', over: true });
    assert.deepEqual(counterText(t, 3, Number.NaN), { text: '', over: false });
    const fr = translator(strings('fr'), { lang: 'fr' });
    assert.equal(counterText(fr, 280, 280).text, 'Il vous reste 0 caractère');
  });

  test('isPage', () => {
    const doc = { getElementById: () => ({ dataset: { page: 'sitting' } }) };
    assert.ok(isPage(doc, 'sitting'));
    assert.ok(!isPage(doc, 'screen'));
    assert.ok(!isPage(null, 'sitting'));
  });
});
