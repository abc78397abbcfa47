// The viewer page's parts, each alone: sitting-mine.js (pure: my questions and votes from the API's answers, what a
// moderation of mine says), sitting-list.js (the list in its kept order, the reorder button and the calm-moment timer,
// on the rendered template in a small DOM) and ask-form.js (the ask form with a fake API: thanks, field errors and
// their summary, refusals in the page's words, the offline and no-answer paths).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ApiError } from '../js/api.js';
import { ASK_FIELDS, askRefusal, askThanks, wireAskForm } from '../js/ask-form.js';
import { translator } from '../js/i18n.js';
import { CALM_MS } from '../js/question-order.js';
import { INTERACTION_EVENTS, wireQuestionList } from '../js/sitting-list.js';
import {
  askedQuestion, mineAnnouncement, mineFromAnswer, syncMineWithPublic, viewerFromPage, votedAfterAnswer, votedAfterRefusal, votesFromAnswer, withMine,
  withdrawnFrom,
} from '../js/sitting-mine.js';
import * as contexts from './support/contexts.mjs';
import { FakeEvent, fakeWindow, parseHtml } from './support/fake-dom.mjs';
import { REPO_ROOT } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const en = translator(contexts.strings('en'), { lang: 'en', onMissing: (key) => { throw new Error(`missing string ${key}`); } });
const fr = translator(contexts.strings('fr'), { lang: 'fr' });
const numbers = new Intl.NumberFormat('en');
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const sittingPage = (overrides = {}) => parseHtml(render(templates.sitting, contexts.sittingPageContext(overrides), templates));
const q = (id, votes, overrides = {}) => ({ id, votes, state: 'approved', text: `Question ${id}`, name: null, region: null, ...overrides });

describe('sitting-mine: my questions and votes', () => {
  test('a moderation of mine says what happened, in the page language', () => {
    assert.equal(mineAnnouncement(en, { state: 'approved' }), contexts.strings('en').announce_mine_approved);
    assert.equal(mineAnnouncement(fr, { state: 'rejected', reason: { text: 'Hors sujet' } }),
      fr('announce_mine_rejected_reason', { reason: 'Hors sujet' }));
    assert.equal(mineAnnouncement(en, { state: 'rejected', reason: null }), contexts.strings('en').announce_mine_rejected);
    assert.equal(mineAnnouncement(en, { state: 'merged' }), contexts.strings('en').announce_mine_merged);
    assert.equal(mineAnnouncement(en, { state: 'on_screen' }), null);
  });

  test('my list follows the published copies, and stays the same array when nothing changed', () => {
    const mine = [{ id: 1, state: 'approved', text: 'A' }, { id: 2, state: 'submitted', text: 'B' }];
    assert.equal(syncMineWithPublic(mine, new Map([[1, { id: 1, state: 'approved', text: 'A' }]])), mine);
    const next = syncMineWithPublic(mine, new Map([[1, { id: 1, state: 'on_screen', text: 'A (edited)' }]]));
    assert.notEqual(next, mine);
    assert.deepEqual(next[0], { id: 1, state: 'on_screen', text: 'A (edited)' });
    assert.equal(next[1], mine[1]);
  });

  test('the answers of GET ?mine=1 and GET …/questions', () => {
    const answer = mineFromAnswer({ questions: [{ id: 1, mine: true, voted: true }, { id: 2, mine: false }, { id: 'x' }, null, { id: 3 }] });
    assert.deepEqual(answer.mine.map((x) => x.id), [1, 3]);
    assert.deepEqual(answer.voted, [1]);
    assert.deepEqual(mineFromAnswer(null), { mine: [], voted: [] });
    assert.deepEqual(votesFromAnswer({ questions: [{ id: 1, voted: true }, { id: 2, voted: false }, { id: 3 }] }), { voted: [1], notVoted: [2] });
  });

  test('my questions and votes from the page (#hc-viewer), or null so the script asks the API', () => {
    const known = viewerFromPage('{"mine":[{"id":7,"state":"submitted","text":"T","mine":true},{"id":"x"}],"voted":[3,"4",null,7]}');
    assert.deepEqual(known.mine.map((x) => x.id), [7]);
    assert.deepEqual(known.voted, [3, 7]);
    assert.deepEqual(viewerFromPage('{"mine":[],"voted":[]}'), { mine: [], voted: [] });
    for (const text of [undefined, null, '', 'not json', '[]', '{"mine":[]}', '{"mine":{},"voted":[]}', 'null']) {
      assert.equal(viewerFromPage(text), null, String(text));
    }
  });

  test('votes: the answer says the truth; already_voted and not_voted too; other refusals are shown', () => {
    const voted = new Set([4]);
    assert.deepEqual([...votedAfterAnswer(voted, 5, { voted: true })].sort(), [4, 5]);
    assert.deepEqual([...votedAfterAnswer(voted, 4, { voted: false })], []);
    assert.deepEqual([...voted], [4], 'a new set each time');
    assert.deepEqual([...votedAfterRefusal(voted, 6, 'already_voted')].sort(), [4, 6]);
    assert.deepEqual([...votedAfterRefusal(voted, 4, 'not_voted')], []);
    assert.equal(votedAfterRefusal(voted, 4, 'rate_limited'), null);
  });

  test('the question I asked, before the server says more; withdrawing', () => {
    const now = new Date('2026-11-29T14:00:00Z');
    assert.deepEqual(askedQuestion({ question: { id: 9, state: 'submitted', text: 'T' } }, { text: 'x' }, now), { id: 9, state: 'submitted', text: 'T' });
    assert.deepEqual(askedQuestion({ id: 10 }, { text: 'Mine' }, now), { id: 10, state: 'submitted', text: 'Mine', submitted_at: '2026-11-29T14:00:00.000Z' });
    const mine = withMine([{ id: 9, state: 'submitted' }], { id: 9, state: 'approved' });
    assert.deepEqual(mine, [{ id: 9, state: 'approved' }]);
    assert.equal(withMine(mine, { id: undefined }), mine, 'no id: nothing to list');
    assert.deepEqual(withdrawnFrom(mine, 9), [{ id: 9, state: 'withdrawn' }]);
    assert.deepEqual(withdrawnFrom(mine, 9, 'withdrawn_late'), [{ id: 9, state: 'withdrawn_late' }]);
  });
});

describe('sitting-list: votes do not move the list under the finger', () => {
  function setUp() {
    const doc = sittingPage();
    const win = fakeWindow();
    let clock = 1_000_000;
    const announced = [];
    const list = wireQuestionList({
      doc, win, t: en, numbers, now: () => clock, announce: (text) => announced.push(text),
      itemContext: { t: en, canTakePart: true, sittingId: '1', csrfToken: 'c' },
      viewContext: () => ({ t: en, numbers, voted: new Set(), votingNow: new Set(), ended: false }),
    });
    const shown = () => [...doc.getElementById('question-list').children].map((li) => Number(li.dataset.questionId));
    return { doc, win, list, shown, announced, tick: (ms) => { clock += ms; }, now: () => clock };
  }

  test('nothing touched: the list follows the votes at once', () => {
    const { list, shown, doc } = setUp();
    list.render([q(1, 5), q(2, 3)]);
    assert.deepEqual(shown(), [1, 2]);
    list.render([q(2, 9), q(1, 5)]);
    assert.deepEqual(shown(), [2, 1]);
    assert.equal(doc.getElementById('reorder').hidden, true);
  });

  test('while the viewer interacts, the order holds; the button says how many moved; pressing it applies and announces', () => {
    const { list, shown, doc, announced, tick } = setUp();
    list.render([q(1, 5), q(2, 3), q(3, 1)]);
    assert.ok(INTERACTION_EVENTS.includes('pointerdown'));
    doc.getElementById('question-list').dispatchEvent(new FakeEvent('pointerdown'));
    tick(1000);
    list.render([q(3, 9), q(1, 5), q(2, 3)]);
    assert.deepEqual(shown(), [1, 2, 3], 'held still under the finger');
    assert.equal(doc.getElementById('reorder').hidden, false);
    assert.match(doc.getElementById('reorder-button').textContent, /3 questions moved/);
    doc.getElementById('reorder-button').click();
    assert.deepEqual(shown(), [3, 1, 2]);
    assert.deepEqual(announced, [contexts.strings('en').questions_reordered]);
    assert.equal(doc.activeElement, doc.getElementById('questions-heading'), 'focus goes to the list heading');
  });

  test('a calm moment applies the new order by itself, and says so', () => {
    const { list, shown, doc, announced, tick, win } = setUp();
    list.render([q(1, 5), q(2, 3)]);
    doc.getElementById('question-list').dispatchEvent(new FakeEvent('keydown'));
    list.render([q(2, 9), q(1, 5)]);
    assert.deepEqual(shown(), [1, 2]);
    const timer = win.timers.at(-1);
    assert.ok(timer.ms >= CALM_MS, `the timer waits for the calm moment (${timer.ms} ms)`);
    tick(CALM_MS + 100);
    timer.fn();
    assert.deepEqual(shown(), [2, 1]);
    assert.equal(announced.length, 1);
  });

  test('no list on the page: nothing to wire', () => {
    const doc = parseHtml('<main id="main"></main>');
    assert.equal(wireQuestionList({ doc, win: fakeWindow(), t: en, numbers, itemContext: {}, viewContext: () => ({}) }), null);
  });
});

describe('ask-form: the question sent with fetch', () => {
  function setUp(answer, { entries = [['text', 'Will the trains run?'], ['name', ''], ['region', '']], online = true } = {}) {
    const doc = sittingPage();
    const win = fakeWindow();
    win.navigator = { onLine: online };
    const posted = [];
    win.HTMLFormElement = { prototype: { submit() { posted.push(this); } } };
    const calls = [];
    const api = async (path, init) => { calls.push({ path, init }); return answer(); };
    const sent = [];
    let typing = 0;
    const form = wireAskForm({
      doc, win, t: en, sittingId: '1', maxLength: '280', api, formEntries: () => entries,
      onSent: (question, info) => sent.push({ question, info }), onTyping: () => { typing += 1; },
    });
    return { doc, win, form, calls, sent, posted, typing: () => typing };
  }
  const submit = (doc) => doc.getElementById('ask-form').dispatchEvent(new FakeEvent('submit'));

  test('a sent question: posted as JSON, the field emptied, thanks shown, the page told (waiting for moderation)', async () => {
    const { doc, calls, sent } = setUp(() => ({ question: { id: 21, state: 'submitted', text: 'Will the trains run?' } }));
    doc.getElementById('ask-text').value = 'Will the trains run?';
    submit(doc);
    await settle();
    assert.equal(calls[0].path, '/api/v1/sittings/1/questions');
    assert.equal(calls[0].init.method, 'POST');
    assert.equal(calls[0].init.body.text, 'Will the trains run?');
    assert.equal(doc.getElementById('ask-text').value, '');
    const result = doc.getElementById('ask-result');
    assert.match(result.className, /form-result--success/);
    assert.match(result.textContent, new RegExp(contexts.strings('en').ask_sent_title));
    assert.equal(sent.length, 1);
    assert.equal(sent[0].question.id, 21);
    assert.equal(sent[0].info.waiting, true);
  });

  test('field errors: each tied to its field, and a summary linking to them', async () => {
    const { doc } = setUp(() => { throw new ApiError({ status: 422, code: 'invalid_input', message: 'La question ne peut pas être envoyée telle quelle.', fields: { text: 'Ce champ ne peut pas être vide.', other: 'x' } }); });
    submit(doc);
    await settle();
    assert.equal(doc.getElementById('ask-text').getAttribute('aria-invalid'), 'true');
    assert.match(doc.getElementById('ask-text-error').textContent, /Ce champ ne peut pas être vide\./);
    const summary = doc.getElementById('ask-result');
    assert.ok(summary.querySelector('a[href="#ask-text"]'), 'the summary links to the field');
    assert.ok(!summary.querySelector('a[href="#ask-other"]'), 'unknown fields are left out');
  });

  test('a refusal without fields is said in the page words for the codes it knows', async () => {
    const { doc } = setUp(() => { throw new ApiError({ status: 429, code: 'rate_limited', message: 'You can ask 3 questions a minute.', retryAfter: 12 }); });
    submit(doc);
    await settle();
    assert.match(doc.getElementById('ask-result').textContent, /Try again in 12 seconds/);
    assert.deepEqual(askRefusal(fr, new ApiError({ status: 409, code: 'sitting_not_live', message: 'This sitting has ended' })),
      { fields: [], message: contexts.strings('fr').ask_error_ended });
  });

  test('offline: says nothing was sent; no answer while online: the normal post goes', async () => {
    const offline = setUp(() => { throw new ApiError({ status: 0, code: 'network_error', message: '' }); }, { online: false });
    submit(offline.doc);
    await settle();
    assert.match(offline.doc.getElementById('ask-result').textContent, new RegExp(contexts.strings('en').offline_not_sent.slice(0, 20)));
    assert.equal(offline.posted.length, 0);
    const online = setUp(() => { throw new ApiError({ status: 0, code: 'network_error', message: '' }); });
    submit(online.doc);
    await settle();
    assert.equal(online.posted.length, 1, 'the form is posted without JavaScript\'s help');
  });

  test('typing counts characters and folds the last thanks', () => {
    const { doc, typing } = setUp(() => ({}));
    const text = doc.getElementById('ask-text');
    text.value = 'x'.repeat(300);
    text.dispatchEvent(new FakeEvent('input'));
    assert.equal(typing(), 1);
    assert.ok(doc.getElementById('ask-text-count').classList.contains('character-count--over'));
  });

  test('the thanks: published at once or waiting; the fields the form knows', () => {
    assert.equal(askThanks(en, { state: 'approved' }).waiting, false);
    assert.equal(askThanks(en, { state: 'submitted' }).waiting, true);
    assert.deepEqual([...ASK_FIELDS], ['text', 'name', 'region']);
    assert.equal(wireAskForm({ doc: parseHtml('<main></main>'), win: fakeWindow(), t: en, api: async () => ({}) }), null);
  });
});
