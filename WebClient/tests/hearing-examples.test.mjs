// The hearing topics' examples in Protocol/examples/ (the server's reference messages) go through the reducers of
// js/hearing-state.js, js/moderation-state.js and js/dashboard-state.js as a page would apply them.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DASHBOARD_TOPIC, EventName, moderationTopic, sittingTopic } from '../js/constants.js';
import { applyTally, emptyDashboardState } from '../js/dashboard-state.js';
import { emptyPetitionSeries, emptySittingSeries, petitionPoints, sittingPoints, withCount, withTally } from '../js/dashboard-series.js';
import {
  applyMineModerated, applySnapshot, chairQueue, emptySittingState, reduceSitting, topQuestions, viewerList,
} from '../js/hearing-state.js';
import {
  applyModerationSnapshot, approvedQuestions, claimStatus, emptyModerationState, moderationQueue, reduceModeration, unreadCount,
} from '../js/moderation-state.js';
import { clientExample, serverExample } from './support/fakes.mjs';

const ids = (list) => list.map((q) => q.id);

describe('sitting:{id} examples', () => {
  const snapshot = serverExample('snapshot-sitting');

  test('the snapshot gives the list, the banner and the audience', () => {
    assert.equal(snapshot.topic, sittingTopic(snapshot.data.id));
    const state = applySnapshot(emptySittingState(3), snapshot.data);
    assert.equal(state.onScreen.id, snapshot.data.on_screen.id);
    assert.equal(state.viewers, snapshot.data.viewers);
    const list = viewerList(state);
    assert.equal(list.length, snapshot.data.questions.length);
    const answeredAt = list.findIndex((q) => q.state === 'answered');
    assert.ok(answeredAt === -1 || list.slice(answeredAt).every((q) => q.state === 'answered'), 'answered ones last');
    for (let i = 1; i < answeredAt; i += 1) assert.ok(list[i - 1].votes >= list[i].votes, 'open ones by votes');
  });

  test("the snapshot's votes map wins over each question's own count", () => {
    const state = applySnapshot(emptySittingState(3), snapshot.data);
    const entries = Object.entries(snapshot.data.votes);
    assert.ok(entries.length > 0);
    assert.ok(entries.some(([id, n]) => snapshot.data.questions.find((q) => q.id === Number(id))?.votes !== n), 'the example has a stale count');
    for (const [id, votes] of entries) assert.equal(state.questions.get(Number(id)).votes, votes);
  });

  test('every event example applies (known names change the state; none throws)', () => {
    let state = applySnapshot(emptySittingState(3), snapshot.data);
    for (const name of ['event-question', 'event-votes', 'event-moderated', 'event-on-screen', 'event-counts', 'event-viewers', 'event-sitting']) {
      const message = serverExample(name);
      assert.equal(message.topic, snapshot.topic, name);
      const next = reduceSitting(state, message.event, message.data);
      // The moderated example rejects a question that was never published: nothing to change in the public list.
      if (name !== 'event-moderated') assert.notEqual(next, state, `${name} changes something`);
      state = next;
    }
    assert.equal(state.sitting.state, 'ended');
    assert.equal(state.onScreen.id, serverExample('event-on-screen').data.question.id);
    const votes = serverExample('event-votes').data.votes;
    for (const [id, n] of Object.entries(votes)) {
      const q = state.questions.get(Number(id));
      if (q && Number(id) !== state.onScreen.id) assert.equal(q.votes, n, `votes of ${id}`);
    }
    assert.ok(state.questions.has(serverExample('event-question').data.id), 'the new question is listed');
    assert.ok(topQuestions(state).every((q) => q.state === 'approved'));
    assert.ok(chairQueue(state, { order: 'priority' }).every((q) => q.state === 'approved'));
  });

  test('a moderated example for one of my questions is reported', () => {
    const moderated = serverExample('event-moderated').data;
    const { mine, changes } = applyMineModerated([{ id: moderated.question_id, state: 'submitted', text: 'x' }], moderated);
    assert.equal(mine[0].state, moderated.state);
    assert.deepEqual(changes, [{ id: moderated.question_id, state: moderated.state, reason: moderated.reason }]);
  });

  test('event names are the protocol\'s', () => {
    for (const name of ['event-question', 'event-votes', 'event-moderated', 'event-on-screen', 'event-counts', 'event-sitting', 'event-claim', 'event-note', 'event-presence', 'event-tally']) {
      assert.ok(Object.values(EventName).includes(serverExample(name).event), name);
    }
  });
});

describe('sitting:{id}:moderation examples', () => {
  const snapshot = serverExample('snapshot-sitting-moderation');

  test('topic names of the examples', () => {
    assert.equal(snapshot.topic, moderationTopic(snapshot.data.id));
    assert.ok(clientExample('subscribe-moderation').topics.includes(moderationTopic(3)));
    assert.ok(clientExample('subscribe-dashboard').topics.includes(DASHBOARD_TOPIC));
  });

  test('the snapshot and every event apply', () => {
    let state = applyModerationSnapshot(emptyModerationState(3), snapshot.data);
    assert.equal(state.questions.size, snapshot.data.questions.length);
    const queue = moderationQueue(state);
    assert.ok(queue.every((q) => q.state === 'submitted'));
    for (let i = 1; i < queue.length; i += 1) assert.ok(Date.parse(queue[i - 1].submitted_at) <= Date.parse(queue[i].submitted_at), 'oldest first');
    assert.ok(approvedQuestions(state).every((q) => ['approved', 'on_screen'].includes(q.state)));
    const unreadBefore = unreadCount(state);
    for (const name of ['event-question-moderation', 'event-claim', 'event-note', 'event-presence']) {
      const message = serverExample(name);
      assert.equal(message.topic, snapshot.topic, name);
      state = reduceModeration(state, message.event, message.data);
    }
    const claim = serverExample('event-claim').data;
    const claimed = state.questions.get(claim.question_id);
    assert.equal(claimStatus(claimed, { id: 999 }, Date.parse(claim.until) - 1000), 'other');
    assert.equal(claimStatus(claimed, { id: claim.claimed_by.id }, Date.parse(claim.until) - 1000), 'mine');
    assert.equal(claimStatus(claimed, { id: 999 }, Date.parse(claim.until) + 1000), 'none', 'expired');
    assert.equal(unreadCount(state), unreadBefore + (serverExample('event-note').data.read_at ? 0 : 1));
    assert.deepEqual(state.staff.map((s) => s.name), serverExample('event-presence').data.staff.map((s) => s.name));
    assert.ok(!ids(moderationQueue(state)).includes(serverExample('event-question-moderation').data.id), 'a rejected question leaves the queue');
  });
});

describe('dashboard examples', () => {
  test('the snapshot and a tally feed the state and the live series', () => {
    const snapshot = serverExample('snapshot-dashboard');
    const tally = serverExample('event-tally');
    assert.equal(snapshot.topic, DASHBOARD_TOPIC);
    let state = applyTally(emptyDashboardState(), snapshot.data);
    let signatures = withCount(emptyPetitionSeries(), state.petitions[0].signature_count, Date.parse(snapshot.data.at));
    let audience = withTally(emptySittingSeries(), state.sittings[1], Date.parse(snapshot.data.at));
    state = applyTally(state, tally.data);
    assert.equal(state.sittings.length, tally.data.sittings.length);
    const petition = tally.data.petitions[0];
    const at = Date.parse(tally.data.at);
    signatures = withCount(signatures, petition.signature_count, at);
    audience = withTally(audience, state.sittings[1], at);
    const grew = petition.signature_count - snapshot.data.petitions[0].signature_count;
    assert.equal(petitionPoints(signatures, { start: at - 60_000, end: at }).reduce((s, p) => s + p.v, 0), grew);
    const lines = sittingPoints(audience, { start: at - 60_000, end: at });
    assert.equal(lines.audience.at(-1).v, Math.max(snapshot.data.sittings[1].viewers, tally.data.sittings[1].viewers));
    assert.equal(lines.approved.at(-1).v, tally.data.sittings[1].questions.approved);
  });
});
