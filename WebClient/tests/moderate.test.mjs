// The moderation console in its parts: moderation-state.js (pure; tests/moderation-state.test.mjs), moderate-view.js
// (drawing, on the rendered template in a small DOM) and moderate-page.js (the wiring: keys, the action bar, the API
// and the live topic, with a fake socket and fetch).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';

import { translator } from '../js/i18n.js';
import { enhanceModeratePage } from '../js/moderate-page.js';
import {
  actionEnabled, applyRoving, clearAlert, createModerationItem, moderateElements, renderActions, renderPresence, renderSittingState,
  showAlert, updateModerationItem,
} from '../js/moderate-view.js';
import * as contexts from './support/contexts.mjs';
import { FakeElement, FakeEvent, fakeWindow, parseHtml } from './support/fake-dom.mjs';
import { FakeWebSocket, REPO_ROOT, serverExample } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

// The wiring checks `event.target instanceof Element` (a browser global): here, the small DOM's element class.
globalThis.Element ??= FakeElement;

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const t = translator(contexts.strings('en'), { lang: 'en-GB', onMissing: (key) => { throw new Error(`missing string ${key}`); } });
const numbers = new Intl.NumberFormat('en-GB');
const NOW = Date.parse('2026-11-29T14:30:00.000Z');
const me = { id: '7', name: 'Mo Derator' };
const page = () => parseHtml(render(templates.moderate, contexts.moderateContext(), templates));

const q = (id, overrides = {}) => ({
  id, sitting_id: 1, text: `Question ${id}?`, state: 'submitted', votes: 0, name: null, region: null, tag: null, priority: 0,
  submitted_at: `2026-11-29T14:${String(10 + id).padStart(2, '0')}:00.000Z`, edited: false, merged_into: null, merged_from: [],
  reason: null, answered_at: null, answered_offset_seconds: null, original_text: null, participant: `p${id}`, claimed_by: null,
  held_votes: 0, ...overrides,
});

describe('moderate-view: drawing', () => {
  test('an item: text, the original when edited, votes, held votes, tag, priority, the claim', () => {
    const doc = page();
    const li = createModerationItem(doc, t, q(4));
    updateModerationItem(li, q(4, { text: 'Edited?', original_text: 'Original?', votes: 3, held_votes: 2, tag: 'fares', priority: 2,
      claimed_by: { id: '9', name: 'Other Mod' }, claimed_until: '2026-11-29T14:31:00.000Z' }), { t, numbers, me, now: NOW });
    assert.equal(li.id, 'mod-q-4');
    assert.equal(li.querySelector('.mod-item__text').textContent, 'Edited?');
    assert.equal(li.querySelector('.mod-item__original').hidden, false);
    assert.equal(li.querySelector('.mod-item__original-text').textContent, 'Original?');
    assert.equal(li.dataset.heldVotes, '2');
    assert.notEqual(li.querySelector('.mod-item__held').textContent, '');
    assert.match(li.querySelector('.mod-item__tag').textContent, /fares/);
    assert.match(li.querySelector('.mod-item__priority').textContent, /2/);
    updateModerationItem(li, q(4), { t, numbers, me, now: NOW, busy: true });
    assert.equal(li.querySelector('.mod-item__original').hidden, true);
    assert.equal(li.querySelector('.mod-item__held').textContent, '');
    assert.equal(li.getAttribute('aria-busy'), 'true');
    assert.equal(li.dataset.claim, 'none');
  });

  test('the roving tabindex: one tab stop (the selected, else the first), aria-current on the selected only', () => {
    const doc = page();
    const list = doc.getElementById('queue-list');
    for (const id of [1, 2, 3]) list.append(createModerationItem(doc, t, q(id)));
    applyRoving(list, { selected: null, ids: [1, 2, 3], active: true });
    assert.deepEqual(list.children.map((li) => li.tabIndex), [0, -1, -1]);
    assert.ok(list.children.every((li) => !li.hasAttribute('aria-current')));
    applyRoving(list, { selected: 2, ids: [1, 2, 3], active: false });
    assert.deepEqual(list.children.map((li) => li.tabIndex), [-1, 0, -1]);
    assert.equal(list.children[1].getAttribute('aria-current'), 'true');
    assert.equal(list.children[1].classList.contains('mod-item--active'), false, 'selected in a list not being worked in');
  });

  test('which actions work: approve and reject for a submitted question, held votes only when some are held, nothing while busy', () => {
    const approved = q(1, { state: 'approved' });
    assert.equal(actionEnabled('approve', q(1)), true);
    assert.equal(actionEnabled('approve', approved), false);
    assert.equal(actionEnabled('reject', approved), false);
    assert.equal(actionEnabled('edit', approved), true);
    assert.equal(actionEnabled('edit', null), false, 'nothing selected');
    assert.equal(actionEnabled('note', null), true);
    assert.equal(actionEnabled('release_votes', q(1)), false);
    assert.equal(actionEnabled('release_votes', q(1, { held_votes: 1 })), true);
    assert.equal(actionEnabled('approve', q(1), { busy: true }), false);
    assert.equal(actionEnabled('help', q(1), { busy: true }), true);
    const doc = page();
    const el = moderateElements(doc);
    renderActions(el.actions, approved, { t, me, now: NOW });
    const button = (action) => el.actions.querySelector(`button[data-action="${action}"]`);
    assert.equal(button('approve').disabled, true);
    assert.equal(button('edit').disabled, false);
  });

  test('presence, the alert, the sitting state', () => {
    const doc = page();
    const el = moderateElements(doc);
    renderPresence(el, doc, [{ name: 'Mo Derator', role: 'moderator' }, { name: 'Cha Ir' }, { name: 'Pat', role: 'petitions-moderator' }, { name: 'X', role: 'new-role' }], t);
    assert.deepEqual(el.presence.children.map((li) => li.textContent), ['Mo Derator (Moderator)', 'Cha Ir', 'Pat (Petitions moderator)', 'X (new-role)'],
      'roles in the page\'s words, an unknown one as it came');
    const fr = translator(contexts.strings('fr'), { lang: 'fr' });
    renderPresence(el, doc, [{ name: 'Mo Derator', role: 'moderator' }], fr);
    assert.deepEqual(el.presence.children.map((li) => li.textContent), [`Mo Derator (${contexts.strings('fr').role_moderator})`]);
    showAlert(el, doc, 'Someone else claimed it.');
    assert.equal(el.alert.textContent, 'Someone else claimed it.');
    assert.ok(el.alert.classList.contains('inline-alert--shown'));
    clearAlert(el);
    assert.equal(el.alert.textContent, '');
    renderSittingState(el, 'live', { t });
    assert.equal(el.sittingState.dataset.state, 'live');
    assert.equal(el.sittingState.className, 'tag tag--live');
  });
});

describe('moderate-page: the wiring', () => {
  const opened = [];
  afterEach(() => { for (const p of opened.splice(0)) p?.live?.close(); });
  const settle = async () => { for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0)); };

  function setUp(questions, answers = {}) {
    FakeWebSocket.reset();
    const doc = page();
    const win = fakeWindow();
    const calls = [];
    const fetchImpl = async (url, init) => {
      const body = init?.body ? JSON.parse(init.body) : null;
      calls.push({ url, method: init?.method ?? 'GET', body });
      const [status, answer] = answers[url]?.(body) ?? [200, {}];
      return { ok: status < 300, status, headers: { get: () => 'application/json' }, json: async () => answer, text: async () => JSON.stringify(answer) };
    };
    const moderate = enhanceModeratePage({ doc, win, WebSocketImpl: FakeWebSocket, fetchImpl, now: () => NOW });
    opened.push(moderate);
    const socket = FakeWebSocket.last;
    socket.serverOpen();
    socket.serverSend(serverExample('welcome'));
    socket.serverSend({ type: 'snapshot', topic: 'sitting:1:moderation', epoch: 'e1', offset: 1, data: { id: 1, questions, notes: [], staff: [] } });
    return { doc, calls, moderate, el: moderateElements(doc) };
  }
  const key = (doc, k, target = doc.body) => target.dispatchEvent(new FakeEvent('keydown', { key: k, target }));
  const moderation = (calls) => calls.filter((c) => c.url.endsWith('/moderation'));

  test('the snapshot fills the two lists, with their counts', () => {
    const { el } = setUp([q(1), q(2), q(3, { state: 'approved' })]);
    assert.deepEqual(el.queue.children.map((li) => li.dataset.questionId), ['1', '2']);
    assert.deepEqual(el.approved.children.map((li) => li.dataset.questionId), ['3']);
    assert.equal(el.queueCount.textContent, '2');
    assert.equal(el.approvedCount.textContent, '1');
  });

  test('keys on the queue: j selects the next, a approves the selected (once, however fast it is pressed)', async () => {
    const answer = { question: q(2, { state: 'approved' }) };
    const { doc, calls, el } = setUp([q(1), q(2)], { '/api/v1/questions/2/moderation': () => [200, answer] });
    const first = el.queue.children[0];
    first.focus();
    first.dispatchEvent(new FakeEvent('focusin', { target: first }));
    key(doc, 'j', first);
    assert.equal(el.queue.children[1].getAttribute('aria-current'), 'true');
    key(doc, 'a', el.queue.children[1]);
    key(doc, 'a', el.queue.children[1]);
    await settle();
    assert.deepEqual(moderation(calls).map((c) => [c.url, c.body]), [['/api/v1/questions/2/moderation', { action: 'approve' }]]);
    assert.deepEqual(el.approved.children.map((li) => li.dataset.questionId), ['2'], 'the answer moves it at once');
  });

  test('a 409 shows the server\'s message and reloads the questions', async () => {
    const { doc, calls, el } = setUp([q(1)], {
      '/api/v1/questions/1/moderation': () => [409, { error: { code: 'question_not_submitted', message: 'Another moderator rejected it.' } }],
      '/api/v1/sittings/1/questions': () => [200, { questions: [q(1, { state: 'rejected' })] }],
    });
    const first = el.queue.children[0];
    first.dispatchEvent(new FakeEvent('focusin', { target: first }));
    key(doc, 'a', first);
    await settle();
    assert.equal(el.alert.textContent, 'Another moderator rejected it.');
    assert.ok(calls.some((c) => c.url === '/api/v1/sittings/1/questions' && c.method === 'GET'));
    assert.equal(el.queue.children.length, 0, 'left as the server says');
  });

  test('keys are left alone while typing or with a dialog open; ? opens the help', async () => {
    const { doc, calls, el } = setUp([q(1)]);
    const first = el.queue.children[0];
    first.dispatchEvent(new FakeEvent('focusin', { target: first }));
    key(doc, '?', first);
    assert.equal(doc.getElementById('help-dialog').open, true);
    key(doc, 'a', first);
    await settle();
    assert.equal(moderation(calls).length, 0, 'no action while a dialog is open');
  });
});
