// The chair's console in its three parts: chair-state.js (pure: controls per sitting state, why the screen waits,
// the queue's selection, the backlog, the keys), chair-view.js (drawing, on the rendered template in a small DOM),
// and chair-page.js (the wiring: confirmations, keys, the API calls and the live topics, with a fake socket and
// fetch).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';

import {
  CHAIR_KEYS, chairView, keepChairSelection, moderationBacklog, moveChairSelection, otherOrder, resolveChairKey, screenAvailability,
  streamClockSeconds,
} from '../js/chair-state.js';
import { chairElements, renderBacklog, renderOnScreen, renderQueue, renderSitting } from '../js/chair-view.js';
import { enhanceChairPage } from '../js/chair-page.js';
import { applySnapshot, emptySittingState } from '../js/hearing-state.js';
import { translator } from '../js/i18n.js';
import { applyModerationSnapshot, emptyModerationState, reduceModeration } from '../js/moderation-state.js';
import * as contexts from './support/contexts.mjs';
import { FakeEvent, fakeWindow, parseHtml } from './support/fake-dom.mjs';
import { FakeWebSocket, REPO_ROOT } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const en = contexts.strings('en');
const t = translator(en, { lang: 'en-GB', onMissing: (key) => { throw new Error(`missing string ${key}`); } });
const numbers = new Intl.NumberFormat('en-GB');

const q = (id, overrides = {}) => ({
  id, sitting_id: 1, text: `Question ${id}`, state: 'approved', votes: id, name: null, region: null, tag: null, priority: 0,
  submitted_at: `2026-11-29T14:${String(10 + id).padStart(2, '0')}:00.000Z`, edited: false, ...overrides,
});

function sittingState(sitting = 'live', questions = [q(1), q(2), q(3)], onScreen = null) {
  return applySnapshot(emptySittingState(1), {
    id: 1, title: 'T', state: sitting, stream_started_at: sitting === 'scheduled' ? null : '2026-11-29T14:00:00.000Z', ended_at: null,
    questions, on_screen: onScreen, viewers: 4,
  });
}

function staffState(submitted = 2) {
  const questions = Array.from({ length: submitted }, (_, i) => q(100 + i, { state: 'submitted', participant: `P${i}`, claimed_by: null }));
  return applyModerationSnapshot(emptyModerationState(1), { id: 1, questions, notes: [], staff: [] });
}

const chairPage = (sitting) => render(templates.chair, {
  ...contexts.chairContext(),
  sitting: contexts.sampleSitting({ state: sitting, state_text: sitting, is_live: sitting === 'live', is_ended: sitting === 'ended' }),
}, templates);

describe('chair-state: what each sitting state allows', () => {
  test('scheduled: start shown, the screen waits for the start, and says so', () => {
    const view = chairView(sittingState('scheduled'), staffState(), {});
    assert.equal(view.startHidden, false);
    assert.equal(view.endHidden, true);
    assert.deepEqual(view.screen, { enabled: false, reasonKey: 'screen_wait_not_started' });
    assert.equal(view.pullNextDisabled, true);
    assert.equal(view.putOnScreenDisabled, true);
    assert.equal(view.queue.length, 3, 'the queue is visible to prepare the sitting');
  });

  test('live: end shown, the screen works; ended: nothing goes on screen', () => {
    const live = chairView(sittingState('live'), staffState(), {});
    assert.equal(live.startHidden, true);
    assert.equal(live.endHidden, false);
    assert.equal(live.screen.enabled, true);
    assert.equal(live.pullNextDisabled, false);
    const ended = chairView(sittingState('ended'), staffState(), {});
    assert.deepEqual(ended.screen, { enabled: false, reasonKey: 'screen_wait_ended' });
    assert.equal(ended.endedNoticeHidden, false);
    assert.equal(screenAvailability('anything else').reasonKey, 'screen_wait_not_started');
  });

  test('answered and clear need a question on screen; answered also needs the sitting live', () => {
    const onScreen = q(2, { state: 'on_screen' });
    const view = chairView(sittingState('live', [q(1), onScreen], onScreen), staffState(), {});
    assert.equal(view.onScreen.id, 2);
    assert.equal(view.answeredDisabled, false);
    assert.equal(view.clearDisabled, false);
    assert.equal(chairView(sittingState('live', [q(1)]), staffState(), {}).answeredDisabled, true);
  });

  test('the moderation backlog: the staff topic\'s submitted questions, unknown until it synced, live with its events', () => {
    assert.equal(moderationBacklog(emptyModerationState(1)), null);
    let staff = staffState(3);
    assert.equal(moderationBacklog(staff), 3);
    staff = reduceModeration(staff, 'question', q(100, { state: 'approved', participant: 'P0' }));
    assert.equal(moderationBacklog(staff), 2, 'an approval leaves the backlog');
    staff = reduceModeration(staff, 'question', q(200, { state: 'submitted', participant: 'P9' }));
    assert.equal(chairView(sittingState(), staff, {}).backlog, 3, 'a new submission joins it');
  });

  test('selection: kept while in the queue, else the first; moves clamp at the ends', () => {
    const queue = [{ id: 3 }, { id: 2 }, { id: 1 }];
    assert.equal(keepChairSelection(queue, 2), 2);
    assert.equal(keepChairSelection(queue, 9), 3);
    assert.equal(keepChairSelection([], 2), null);
    assert.equal(moveChairSelection(queue, 3, 'next'), 2);
    assert.equal(moveChairSelection(queue, 1, 'next'), 1);
    assert.equal(moveChairSelection(queue, 3, 'previous'), 3);
    assert.equal(moveChairSelection(queue, 2, 'last'), 1);
    assert.equal(moveChairSelection(queue, 1, 'first'), 3);
    assert.equal(moveChairSelection([], 1, 'next'), null);
    assert.equal(chairView(sittingState(), staffState(), { selectedId: 2 }).selectedId, 2);
    assert.equal(chairView(sittingState(), staffState(), { selectedId: 99 }).selectedId, 3, 'most votes first');
  });

  test('keys: the map, and nothing while typing, with modifiers or in a dialog; arrows and Enter only in the queue', () => {
    assert.equal(resolveChairKey({ key: 'j' }), 'next');
    assert.equal(resolveChairKey({ key: 'n' }), 'pull_next');
    assert.equal(resolveChairKey({ key: 'a' }), 'answered');
    assert.equal(resolveChairKey({ key: 'x' }), 'clear');
    assert.equal(resolveChairKey({ key: 'o' }), 'toggle_order');
    assert.equal(resolveChairKey({ key: '?' }), 'help');
    assert.equal(resolveChairKey({ key: 'n' }, { typing: true }), null);
    assert.equal(resolveChairKey({ key: 'n', ctrlKey: true }), null);
    assert.equal(resolveChairKey({ key: 'n' }, { dialogOpen: true }), null);
    assert.equal(resolveChairKey({ key: 'Enter' }), null, 'Enter presses the focused button elsewhere');
    assert.equal(resolveChairKey({ key: 'Enter' }, { inQueue: true }), 'put_on_screen');
    assert.equal(resolveChairKey({ key: 'ArrowDown' }), null);
    assert.equal(resolveChairKey({ key: 'ArrowDown' }, { inQueue: true }), 'next');
    assert.equal(resolveChairKey({ key: 'q' }), null);
    assert.equal(otherOrder('votes'), 'priority');
    assert.equal(otherOrder('priority'), 'votes');
    for (const [, label] of CHAIR_KEYS) assert.ok(en[label], `${label} is a string`);
  });

  test('the stream clock', () => {
    assert.equal(streamClockSeconds({ stream_started_at: null }), null);
    assert.equal(streamClockSeconds({ stream_started_at: '2026-11-29T14:00:00.000Z' }, Date.parse('2026-11-29T14:01:05.000Z')), 65);
    assert.equal(streamClockSeconds({ stream_started_at: '2026-11-29T14:00:00.000Z', ended_at: '2026-11-29T14:00:30.000Z' }, Date.parse('2026-11-29T15:00:00.000Z')), 30);
  });
});

describe('chair-view: drawing on the rendered template', () => {
  test('scheduled: the state, the start button, the reason next to the disabled screen actions', () => {
    const doc = parseHtml(chairPage('scheduled'));
    const el = chairElements(doc);
    const view = chairView(sittingState('scheduled'), staffState(), {});
    renderSitting(el, view, t);
    renderOnScreen(doc, el, view, { t, numbers });
    renderQueue(doc, el, view, { t, numbers });
    assert.equal(el.start.hidden, false);
    assert.equal(el.start.disabled, false);
    assert.equal(el.end.hidden, true);
    assert.equal(el.screenReason.hidden, false);
    assert.equal(el.screenReason.textContent, en.screen_wait_not_started);
    assert.equal(el.pullNext.disabled, true);
    assert.match(el.pullNext.getAttribute('aria-describedby'), /screen-actions-reason/);
    const buttons = doc.querySelectorAll('#chair-queue .put-on-screen');
    assert.equal(buttons.length, 3);
    for (const b of buttons) {
      assert.equal(b.disabled, true);
      assert.match(b.getAttribute('aria-describedby'), /screen-actions-reason/);
    }
  });

  test('live: the reason goes, the queue is enabled, the selected question is marked and focusable', () => {
    const doc = parseHtml(chairPage('live'));
    const el = chairElements(doc);
    const view = chairView(sittingState('live'), staffState(), { selectedId: 2 });
    renderSitting(el, view, t);
    renderQueue(doc, el, view, { t, numbers });
    assert.equal(el.screenReason.hidden, true);
    assert.equal(el.pullNext.disabled, false);
    assert.equal(el.pullNext.getAttribute('aria-describedby'), null);
    const items = doc.querySelectorAll('#chair-queue > li');
    assert.deepEqual(items.map((li) => li.dataset.questionId), ['3', '2', '1']);
    const current = doc.querySelectorAll('#chair-queue > li[aria-current="true"]');
    assert.deepEqual(current.map((li) => li.dataset.questionId), ['2']);
    assert.equal(current[0].getAttribute('tabindex'), '0');
    assert.equal(el.queueCount.textContent, '3');
  });

  test('the backlog line: hidden until synced, then the count in words', () => {
    const doc = parseHtml(chairPage('live'));
    const el = chairElements(doc);
    assert.equal(el.backlog.hidden, true);
    renderBacklog(el, chairView(sittingState(), emptyModerationState(1), {}), { t, numbers });
    assert.equal(el.backlog.hidden, true);
    renderBacklog(el, chairView(sittingState(), staffState(2), {}), { t, numbers });
    assert.equal(el.backlog.hidden, false);
    assert.equal(el.backlog.textContent, '2 questions waiting for moderation');
    assert.equal(el.backlog.dataset.count, '2');
    renderBacklog(el, chairView(sittingState(), staffState(1), {}), { t, numbers });
    assert.equal(el.backlog.textContent, '1 question waiting for moderation');
    renderBacklog(el, chairView(sittingState(), staffState(0), {}), { t, numbers });
    assert.equal(el.backlog.textContent, en.moderation_backlog_none);
  });
});

describe('chair-page: the wiring', () => {
  // Each page's socket is closed after its test (its connect and idle timers are real ones: the run would not end).
  const opened = [];
  afterEach(() => { for (const page of opened.splice(0)) page?.live?.close(); });
  function setUp(sitting = 'scheduled') {
    FakeWebSocket.reset();
    const doc = parseHtml(chairPage(sitting));
    const win = fakeWindow();
    const calls = [];
    const fetchImpl = async (url, init) => {
      calls.push({ url, method: init?.method, body: init?.body ? JSON.parse(init.body) : null });
      const body = url.endsWith('/state') ? { id: 1, state: JSON.parse(init.body).state, stream_started_at: '2026-11-29T14:00:00.000Z', ended_at: null }
        : url.endsWith('/on-screen') ? { on_screen: null } : {};
      return { ok: true, status: 200, headers: { get: () => 'application/json' }, json: async () => body, text: async () => JSON.stringify(body) };
    };
    const page = enhanceChairPage({ doc, win, WebSocketImpl: FakeWebSocket, fetchImpl, now: () => Date.parse('2026-11-29T14:00:10.000Z') });
    opened.push(page);
    const socket = FakeWebSocket.last;
    return { doc, win, calls, page, socket };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const key = (doc, k, target = doc.body) => target.dispatchEvent(new FakeEvent('keydown', { key: k, target }));
  const stateCalls = (calls) => calls.filter((c) => c.url.endsWith('/state'));

  test('starting asks first: the dialog opens, nothing is sent until it is confirmed, cancel sends nothing', async () => {
    const { doc, calls } = setUp('scheduled');
    doc.getElementById('start-sitting').click();
    const dialog = doc.getElementById('start-dialog');
    assert.equal(dialog.open, true);
    await settle();
    assert.equal(stateCalls(calls).length, 0, 'no state change before the confirmation');
    dialog.querySelector('[data-close]').click();
    assert.equal(dialog.open, false);
    await settle();
    assert.equal(stateCalls(calls).length, 0, 'cancelled: nothing sent');
    doc.getElementById('start-sitting').click();
    doc.getElementById('start-confirm').click();
    await settle();
    await settle();
    assert.deepEqual(stateCalls(calls).map((c) => c.body), [{ state: 'live' }]);
    assert.equal(doc.getElementById('main').dataset.state, 'live');
    assert.equal(doc.getElementById('screen-actions-reason').hidden, true);
  });

  test('before the start, pulling the next question sends nothing (button, click or key)', async () => {
    const { doc, calls, page } = setUp('scheduled');
    page.getState();
    doc.getElementById('pull-next').click();
    key(doc, 'n');
    await settle();
    assert.equal(calls.filter((c) => c.url.endsWith('/on-screen')).length, 0);
  });

  test('keys: ? opens the help; n puts the first of the queue on screen once live; typing in the filter is left alone', async () => {
    const { doc, calls, socket } = setUp('live');
    socket.open?.();
    key(doc, '?');
    assert.equal(doc.getElementById('chair-help-dialog').open, true);
    key(doc, 'n');
    await settle();
    assert.equal(calls.filter((c) => c.url.endsWith('/on-screen')).length, 0, 'no key acts while a dialog is open');
    doc.getElementById('chair-help-dialog').close();
    key(doc, 'n', doc.getElementById('chair-filter'));
    await settle();
    assert.equal(calls.filter((c) => c.url.endsWith('/on-screen')).length, 0, 'the filter is a field: keys are for it');
  });
});
