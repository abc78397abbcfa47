// js/moderation-state.js: the `sitting:{id}:moderation` reducers, queue orders, claims, notes, the moderation
// bodies and the console's keyboard map.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  MODERATION_KEYS, applyClaim, applyHeldVotes, applyModerationSnapshot, applyNote, applyPresence, applyStaffQuestion, applyStaffVotes,
  approvedQuestions, claimStatus, emptyModerationState, fold, keepSelection, mergeTargets, moderationBody,
  moderationQueue, moveSelection, parsePriority, questionsWithHeldVotes, reduceModeration, replaceQuestions, resolveChoiceKey, resolveEditKey,
  resolveModerationKey, sortedNotes, unreadCount,
} from '../js/moderation-state.js';
import { isTypingTarget } from '../js/dom.js';
import { excerpt } from '../js/moderate-page.js';

const sq = (id, overrides = {}) => ({
  id, sitting_id: 1, text: `Question ${id}`, state: 'submitted', votes: 0, name: null, region: null,
  submitted_at: `2026-11-29T14:${String(10 + id).padStart(2, '0')}:00.000Z`, edited: false, original_text: null,
  participant: `P-${id}`, claimed_by: null, tag: null, priority: 0, ...overrides,
});
const note = (id, overrides = {}) => ({ id, sitting_id: 1, text: `Note ${id}`, author: { id: 7, name: 'Mo' }, created_at: `2026-11-29T14:0${id}:00.000Z`, read_at: null, ...overrides });
const ids = (list) => list.map((x) => x.id);

function base() {
  return applyModerationSnapshot(emptyModerationState(1), {
    id: 1,
    questions: [sq(3), sq(1), sq(2, { state: 'approved', votes: 5 }), sq(4, { state: 'approved', votes: 9, tag: 'Fares' }), sq(5, { state: 'rejected' }), sq(6, { state: 'on_screen', votes: 1 })],
    notes: [note(1), note(2, { read_at: '2026-11-29T14:03:00.000Z' })],
    staff: [{ id: 7, name: 'Mo', role: 'moderator' }],
  });
}

describe('moderation reducers', () => {
  test('snapshot: every state, notes and staff', () => {
    const state = base();
    assert.equal(state.questions.size, 6);
    assert.equal(state.notes.size, 2);
    assert.deepEqual(state.staff, [{ id: 7, name: 'Mo', role: 'moderator' }]);
    assert.ok(state.synced);
  });

  test('queue: submitted, oldest first; approved list: approved and on screen, most votes first', () => {
    const state = base();
    assert.deepEqual(ids(moderationQueue(state)), [1, 3]);
    assert.deepEqual(ids(approvedQuestions(state)), [4, 2, 6]);
  });

  test('question: a new submission joins the queue; an approval moves it across', () => {
    let state = reduceModeration(base(), 'question', sq(9, { submitted_at: '2026-11-29T15:00:00.000Z' }));
    assert.deepEqual(ids(moderationQueue(state)), [1, 3, 9]);
    state = applyStaffQuestion(state, sq(1, { state: 'approved', votes: 0 }));
    assert.deepEqual(ids(moderationQueue(state)), [3, 9]);
    assert.ok(ids(approvedQuestions(state)).includes(1));
    assert.equal(applyStaffQuestion(state, null), state);
  });

  test('claim: set and clear', () => {
    let state = applyClaim(base(), { question_id: 1, claimed_by: { id: 8, name: 'Sam' }, until: '2026-11-29T14:20:00.000Z' });
    assert.deepEqual(state.questions.get(1).claimed_by, { id: 8, name: 'Sam', until: '2026-11-29T14:20:00.000Z' });
    state = reduceModeration(state, 'claim', { question_id: 1, claimed_by: null, until: null });
    assert.equal(state.questions.get(1).claimed_by, null);
    assert.equal(applyClaim(state, { question_id: 999, claimed_by: null }), state);
  });

  test('notes: new and read; unread count; newest first', () => {
    let state = applyNote(base(), note(3));
    assert.equal(unreadCount(state), 2);
    assert.deepEqual(ids(sortedNotes(state)), [3, 2, 1]);
    state = reduceModeration(state, 'note', note(1, { read_at: '2026-11-29T14:09:00.000Z' }));
    assert.equal(unreadCount(state), 1);
  });

  test('presence; votes from the public topic; a fresh list after a conflict', () => {
    let state = applyPresence(base(), { staff: [{ id: 7, name: 'Mo', role: 'moderator' }, { id: 3, name: 'Chris', role: 'chair' }, { bad: true }] });
    assert.deepEqual(state.staff.map((s) => s.name), ['Mo', 'Chris']);
    state = applyStaffVotes(state, { votes: { 2: 11, 404: 1 } });
    assert.equal(state.questions.get(2).votes, 11);
    assert.equal(applyStaffVotes(state, { votes: { 2: 11 } }), state, 'nothing changed: same object');
    state = replaceQuestions(state, [sq(1, { state: 'rejected' })]);
    assert.deepEqual([...state.questions.keys()], [1]);
    assert.equal(reduceModeration(state, 'unknown', {}), state);
  });
});

describe('held votes', () => {
  test('the snapshot map and the conflated held_votes event set each question\'s count; absent means none', () => {
    let state = applyModerationSnapshot(emptyModerationState(1), {
      id: 1, questions: [sq(2, { state: 'approved', held_votes: 0 }), sq(4, { state: 'approved', held_votes: 0 })], notes: [], staff: [],
      held_votes: { 4: 7 },
    });
    assert.equal(state.questions.get(4).held_votes, 7, 'the map is newer than the question objects');
    assert.equal(state.questions.get(2).held_votes, 0);
    state = reduceModeration(state, 'held_votes', { held_votes: { 2: 3, 4: 9 } });
    assert.deepEqual(ids(questionsWithHeldVotes(state)), [4, 2]);
    state = reduceModeration(state, 'held_votes', { held_votes: { 4: 9 } });
    assert.equal(state.questions.get(2).held_votes, 0, 'released: no longer listed');
    const same = applyHeldVotes(state, { held_votes: { 4: 9 } });
    assert.equal(same, state, 'nothing changed, same state');
    assert.equal(applyHeldVotes(state, { held_votes: 'x' }), state, 'a malformed event changes nothing');
    assert.equal(applyHeldVotes(state, { held_votes: { 4: -2 } }).questions.get(4).held_votes, 0);
  });

  test('the example event applies to the example snapshot', async () => {
    const { serverExample } = await import('./support/fakes.mjs');
    const snapshot = serverExample('snapshot-sitting-moderation');
    const event = serverExample('event-held-votes');
    let state = applyModerationSnapshot(emptyModerationState(3), snapshot.data);
    assert.deepEqual(questionsWithHeldVotes(state).map((q) => [q.id, q.held_votes]), Object.entries(snapshot.data.held_votes).map(([k, v]) => [Number(k), v]));
    state = reduceModeration(state, event.event, event.data);
    assert.deepEqual(questionsWithHeldVotes(state).map((q) => [q.id, q.held_votes]), Object.entries(event.data.held_votes).map(([k, v]) => [Number(k), v]));
  });
});

describe('claims', () => {
  const now = Date.parse('2026-11-29T14:10:00.000Z');
  const claimed = (by, until = '2026-11-29T14:12:00.000Z') => ({ claimed_by: { ...by, until } });

  test('none, mine (by id, else by name), other; expired claims are none', () => {
    assert.equal(claimStatus(sq(1), { id: '7' }, now), 'none');
    assert.equal(claimStatus(claimed({ id: 7, name: 'Mo' }), { id: '7', name: 'Mo' }, now), 'mine');
    assert.equal(claimStatus(claimed({ id: 8, name: 'Mo' }), { id: '7', name: 'Mo' }, now), 'other', 'ids decide');
    assert.equal(claimStatus(claimed({ id: 8, name: 'Sam' }), { id: null, name: 'Sam' }, now), 'mine', 'names when I have no id');
    assert.equal(claimStatus(claimed({ id: 8, name: 'Sam' }, '2026-11-29T14:09:59.000Z'), { id: '7' }, now), 'none');
    assert.equal(claimStatus(claimed({ id: 8, name: 'Sam' }, null), { id: '7' }, now), 'other', 'no until: held');
  });
});

describe('merge targets', () => {
  test('approved and on screen, not the source, filtered without case or accents', () => {
    const state = applyStaffQuestion(base(), sq(7, { state: 'approved', text: 'Énergie et tarifs', votes: 0 }));
    assert.deepEqual(ids(mergeTargets(state, 2)), [4, 6, 7]);
    assert.deepEqual(ids(mergeTargets(state, 2, 'ENERGIE')), [7]);
    assert.deepEqual(ids(mergeTargets(state, 2, 'fares')), [4], 'the tag counts');
    assert.deepEqual(ids(mergeTargets(state, 2, '#6')), [6], 'the id counts');
    assert.equal(fold('Ça Été'), 'ca ete');
  });
});

describe('moderation bodies (HEARINGS.md §3)', () => {
  test('exact shapes', () => {
    assert.deepEqual(moderationBody.approve(), { action: 'approve' });
    assert.deepEqual(moderationBody.reject('off_topic'), { action: 'reject', reason: 'off_topic' });
    assert.deepEqual(moderationBody.edit('New text'), { action: 'edit', text: 'New text' });
    assert.deepEqual(moderationBody.merge(12), { action: 'merge', into: 12 });
    assert.deepEqual(moderationBody.tag('Fares'), { action: 'tag', tag: 'Fares' });
    assert.deepEqual(moderationBody.tag(''), { action: 'tag', tag: null });
    assert.deepEqual(moderationBody.priority(-3), { action: 'priority', priority: -3 });
    assert.deepEqual(moderationBody.releaseVotes(), { action: 'release_votes' });
  });

  test('parsePriority: integers from -100 to 100', () => {
    assert.equal(parsePriority('5'), 5);
    assert.equal(parsePriority(' -100 '), -100);
    assert.equal(parsePriority('+7'), 7);
    assert.equal(parsePriority('101'), null);
    assert.equal(parsePriority('1.5'), null);
    assert.equal(parsePriority(''), null);
    assert.equal(parsePriority('abc'), null);
  });
});

describe('keyboard map', () => {
  const key = (k, extra = {}) => ({ key: k, ...extra });

  test('letters and arrows resolve to actions', () => {
    const expected = { j: 'next', k: 'previous', c: 'claim', a: 'approve', r: 'reject', e: 'edit', m: 'merge', t: 'tag', p: 'priority', v: 'release_votes', n: 'note', '?': 'help' };
    for (const [k, action] of Object.entries(expected)) assert.equal(resolveModerationKey(key(k)), action, k);
    assert.equal(resolveModerationKey(key('J')), 'next', 'caps lock');
    assert.equal(resolveModerationKey(key('?', { shiftKey: true })), 'help');
    assert.equal(resolveModerationKey(key('ArrowDown'), { onList: true }), 'next');
    assert.equal(resolveModerationKey(key('ArrowUp'), { onList: true }), 'previous');
    assert.equal(resolveModerationKey(key('Home'), { onList: true }), 'first');
    assert.equal(resolveModerationKey(key('End'), { onList: true }), 'last');
  });

  test('nothing fires while typing, in a dialog, with modifiers, or for other keys', () => {
    assert.equal(resolveModerationKey(key('a'), { typing: true }), null);
    assert.equal(resolveModerationKey(key('a'), { dialogOpen: true }), null);
    assert.equal(resolveModerationKey(key('a', { ctrlKey: true })), null, 'Ctrl+A selects all');
    assert.equal(resolveModerationKey(key('r', { metaKey: true })), null, 'Cmd+R reloads');
    assert.equal(resolveModerationKey(key('c', { altKey: true })), null);
    assert.equal(resolveModerationKey(key('x')), null);
    assert.equal(resolveModerationKey(key('Enter')), null);
    assert.equal(resolveModerationKey(key('ArrowDown')), null, 'arrows only on a list (they scroll the page elsewhere)');
    assert.equal(resolveModerationKey(null), null);
  });

  test('every key of the map is documented once', () => {
    const all = MODERATION_KEYS.flatMap((entry) => entry.keys);
    assert.equal(new Set(all).size, all.length);
  });

  test('typing targets', () => {
    assert.ok(isTypingTarget({ tagName: 'TEXTAREA' }));
    assert.ok(isTypingTarget({ tagName: 'INPUT', type: 'text' }));
    assert.ok(isTypingTarget({ tagName: 'INPUT', type: 'number' }));
    assert.ok(isTypingTarget({ tagName: 'SELECT' }));
    assert.ok(isTypingTarget({ tagName: 'DIV', isContentEditable: true }));
    assert.ok(!isTypingTarget({ tagName: 'INPUT', type: 'radio' }));
    assert.ok(!isTypingTarget({ tagName: 'BUTTON' }));
    assert.ok(!isTypingTarget({ tagName: 'LI' }));
    assert.ok(!isTypingTarget(null));
  });

  test('choice dialogs: digits 1-9 pick a choice that exists', () => {
    assert.deepEqual(resolveChoiceKey(key('1'), 3), { choose: 0 });
    assert.deepEqual(resolveChoiceKey(key('3'), 3), { choose: 2 });
    assert.equal(resolveChoiceKey(key('4'), 3), null);
    assert.equal(resolveChoiceKey(key('0'), 3), null);
    assert.equal(resolveChoiceKey(key('1', { ctrlKey: true }), 3), null);
    assert.equal(resolveChoiceKey(key('a'), 3), null);
  });

  test('inline edit: Enter or Ctrl+Enter saves, Shift+Enter is a new line, Escape cancels', () => {
    assert.equal(resolveEditKey(key('Enter')), 'save');
    assert.equal(resolveEditKey(key('Enter', { ctrlKey: true })), 'save');
    assert.equal(resolveEditKey(key('Enter', { ctrlKey: true, shiftKey: true })), 'save');
    assert.equal(resolveEditKey(key('Enter', { shiftKey: true })), null);
    assert.equal(resolveEditKey(key('Escape')), 'cancel');
    assert.equal(resolveEditKey(key('a')), null);
  });
});

describe('selection', () => {
  test('moveSelection stays within the list', () => {
    assert.equal(moveSelection(-1, 'next', 3), 0);
    assert.equal(moveSelection(0, 'next', 3), 1);
    assert.equal(moveSelection(2, 'next', 3), 2);
    assert.equal(moveSelection(0, 'previous', 3), 0);
    assert.equal(moveSelection(2, 'first', 3), 0);
    assert.equal(moveSelection(0, 'last', 3), 2);
    assert.equal(moveSelection(1, 'next', 0), -1);
  });

  test('keepSelection: same id, else the next one at the old place, else the last', () => {
    assert.equal(keepSelection([1, 2, 3], 2, [1, 2, 3, 4]), 2);
    assert.equal(keepSelection([1, 2, 3], 2, [1, 3]), 3, 'approved: the next one moves up');
    assert.equal(keepSelection([1, 2, 3], 3, [1, 2]), 2, 'the last one left: select the new last');
    assert.equal(keepSelection([1], 1, []), null);
    assert.equal(keepSelection([], null, [5, 6]), 5);
  });

  test('excerpt', () => {
    assert.equal(excerpt('  short\n text '), 'short text');
    assert.equal(excerpt('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });
});
