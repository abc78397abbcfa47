// The chair's console (templates/chair.mustache, GET /sittings/{id}/chair). Needs JavaScript.
// Follows `sitting:{id}` (the queue, on screen, votes, state, viewers) and `sitting:{id}:moderation` (notes,
// presence). Buttons call the API of Protocol/HEARINGS.md §3.
//
// DOM hooks: #main[data-topic][data-moderation-topic], #sitting-state, #start-sitting, #end-sitting (confirmed in
// #end-dialog with #end-confirm), #stream-clock, #chair-on-screen-body, #answered-button, #clear-screen-button,
// input[name=order] (#chair-order-votes, #chair-order-priority), select#chair-filter, #pull-next,
// ol#chair-queue > li[data-question-id] button.put-on-screen, ol#answered-list > li[data-question-id],
// ul#notes-list > li[data-note-id] button.mark-read, #unread-count, #presence-list, #viewer-count, #chair-alert,
// #live-status.

import { Announcer } from './announcer.js';
import { ApiError, apiClient } from './api.js';
import { connectionTexts, h, liveUrl, reconcileList, showConnection, wireLifecycle } from './dom.js';
import {
  HearingEvent, answeredQuestions, applySnapshot, chairQueue, elapsedSeconds, emptySittingState, formatOffset,
  isoDuration, nextQuestion, reduceSitting,
} from './hearing-state.js';
import { displayName, isPage, sittingStateText, votesText } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { LiveSocket } from './live-socket.js';
import {
  applyModerationSnapshot, applyNote, applyPresence, emptyModerationState, reduceModeration, sortedNotes, unreadCount,
} from './moderation-state.js';
import { startPresence } from './presence.js';

/** The stream time to show: from the stream start to now, or to the end once ended. */
export function streamClockSeconds(sitting, nowMs = Date.now()) {
  if (!sitting?.stream_started_at) return null;
  const end = sitting.ended_at ? Date.parse(sitting.ended_at) : Number.NaN;
  return elapsedSeconds(sitting.stream_started_at, Number.isNaN(end) ? nowMs : end);
}

export function enhanceChairPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
  now = () => Date.now(),
} = {}) {
  const main = doc.getElementById('main');
  const publicTopic = main?.dataset.topic;
  const staffTopic = main?.dataset.moderationTopic;
  const sittingId = main?.dataset.sittingId;
  if (!publicTopic || !staffTopic || !sittingId) return null;

  const t = pageTranslator(doc);
  const numbers = new Intl.NumberFormat(t.lang);
  const clockFormat = new Intl.DateTimeFormat(t.lang, { hour: '2-digit', minute: '2-digit' });
  const api = apiClient(fetchImpl);
  const $ = (id) => doc.getElementById(id);
  const el = {
    status: $('live-status'), viewers: $('viewer-count'), presence: $('presence-list'), alert: $('chair-alert'),
    sittingState: $('sitting-state'), start: $('start-sitting'), end: $('end-sitting'), endedNotice: $('sitting-ended-notice'),
    clock: $('stream-clock'), onScreenPanel: $('chair-on-screen'), onScreen: $('chair-on-screen-body'), answered: $('answered-button'), clear: $('clear-screen-button'),
    queue: $('chair-queue'), queueEmpty: $('chair-queue-empty'), queueCount: $('chair-queue-count'),
    filter: $('chair-filter'), pullNext: $('pull-next'),
    answeredList: $('answered-list'), answeredEmpty: $('answered-empty'),
    notes: $('notes-list'), notesEmpty: $('notes-empty'), unread: $('unread-count'),
    endDialog: $('end-dialog'), endConfirm: $('end-confirm'),
  };
  const actionAnnouncer = $('action-status') ? new Announcer($('action-status'), { intervalMs: 1500 }) : null;
  const say = (text) => actionAnnouncer?.announce(text);
  const liveAnnouncer = $('live-announcer') ? new Announcer($('live-announcer')) : null;

  let state = emptySittingState(Number(sittingId));
  state = { ...state, sitting: { ...state.sitting, state: main.dataset.state || 'scheduled' } };
  let staff = emptyModerationState(Number(sittingId));
  let busy = false;

  const order = () => doc.querySelector('input[name="order"]:checked')?.value ?? 'votes';
  const filter = () => el.filter?.value ?? '';

  // MARK: rendering

  function render() {
    renderSitting();
    renderOnScreen();
    renderQueue();
    renderAnswered();
  }

  function renderSitting() {
    const s = state.sitting.state;
    main.dataset.state = s;
    if (el.sittingState) {
      el.sittingState.className = `tag tag--${s}`;
      el.sittingState.dataset.state = s;
      el.sittingState.textContent = sittingStateText(t, s);
    }
    if (el.start) { el.start.hidden = s !== 'scheduled'; el.start.disabled = false; }
    if (el.end) { el.end.hidden = s !== 'live'; el.end.disabled = false; }
    if (el.endedNotice) el.endedNotice.hidden = s !== 'ended';
    renderClock();
  }

  function renderClock() {
    if (!el.clock) return;
    const seconds = streamClockSeconds(state.sitting, now());
    el.clock.textContent = seconds === null ? '-:--' : formatOffset(seconds);
    el.clock.setAttribute('datetime', isoDuration(seconds ?? 0));
  }

  function renderOnScreen() {
    const q = state.onScreen;
    if (el.onScreenPanel) el.onScreenPanel.dataset.empty = String(!q);
    if (el.onScreen) {
      if (!q) {
        if (!el.onScreen.querySelector('#chair-on-screen-empty')) {
          el.onScreen.replaceChildren(h(doc, 'div', { className: 'chair-on-screen__empty', attrs: { id: 'chair-on-screen-empty' } },
            h(doc, 'p', { className: 'chair-on-screen__empty-title', text: t('chair_on_screen_none') }),
            h(doc, 'p', { className: 'chair-on-screen__empty-hint', text: t('chair_on_screen_hint') })));
        }
      } else {
        el.onScreen.replaceChildren(
          h(doc, 'p', { className: 'chair-on-screen__text', attrs: { id: 'chair-on-screen-text' }, text: q.text }),
          h(doc, 'p', { className: 'question__meta' },
            h(doc, 'span', { className: 'question__name', text: displayName(t, q) }),
            h(doc, 'span', { className: 'question__region', text: q.region ?? '' }),
            h(doc, 'span', { className: 'question__tag', text: q.tag ?? '' }),
            h(doc, 'span', { className: 'question__votes-inline', text: votesText(t, numbers, q.votes) })),
        );
      }
    }
    if (el.answered) el.answered.disabled = !q;
    if (el.clear) el.clear.disabled = !q;
  }

  function renderQueue() {
    const items = chairQueue(state, { order: order(), tag: filter() });
    if (el.queueEmpty) el.queueEmpty.hidden = items.length > 0;
    if (el.queueCount) el.queueCount.textContent = numbers.format(items.length);
    if (el.pullNext) el.pullNext.disabled = items.length === 0 || state.sitting.state === 'ended';
    if (!el.queue) return;
    reconcileList(el.queue, items, {
      key: (q) => q.id,
      elementKey: (li) => li.dataset.questionId,
      create: (q) => h(doc, 'li', { className: 'chair-item', dataset: { questionId: q.id } },
        h(doc, 'p', { className: 'chair-item__text', attrs: { id: `chair-q-${q.id}-text` } }),
        h(doc, 'p', { className: 'question__meta' },
          h(doc, 'span', { className: 'question__name' }),
          h(doc, 'span', { className: 'question__region' }),
          h(doc, 'span', { className: 'question__tag' }),
          h(doc, 'span', { className: 'chair-item__priority' }),
          h(doc, 'span', { className: 'question__votes-inline' })),
        h(doc, 'button', {
          className: 'button button--small put-on-screen',
          attrs: { type: 'button', 'aria-describedby': `chair-q-${q.id}-text` },
          dataset: { questionId: q.id },
          text: t('put_on_screen'),
        })),
      update: (li, q) => {
        setText(li.querySelector('.chair-item__text'), q.text);
        setText(li.querySelector('.question__name'), displayName(t, q));
        setText(li.querySelector('.question__region'), q.region ?? '');
        setText(li.querySelector('.question__tag'), q.tag ?? '');
        setText(li.querySelector('.chair-item__priority'), q.priority ? t('priority_value', { n: q.priority }) : '');
        setText(li.querySelector('.question__votes-inline'), votesText(t, numbers, q.votes));
        li.querySelector('.put-on-screen').disabled = state.sitting.state === 'ended';
      },
    });
  }

  function renderAnswered() {
    const items = answeredQuestions(state);
    if (el.answeredEmpty) el.answeredEmpty.hidden = items.length > 0;
    if (!el.answeredList) return;
    reconcileList(el.answeredList, items, {
      key: (q) => q.id,
      elementKey: (li) => li.dataset.questionId,
      create: (q) => h(doc, 'li', { className: 'answered-item', dataset: { questionId: q.id } },
        h(doc, 'time', { className: 'answered-item__time' }),
        h(doc, 'span', { className: 'answered-item__text' })),
      update: (li, q) => {
        const time = li.querySelector('.answered-item__time');
        const offset = q.answered_offset_seconds;
        setText(time, Number.isFinite(offset) ? formatOffset(offset) : '');
        time.setAttribute('datetime', isoDuration(Number.isFinite(offset) ? offset : 0));
        setText(li.querySelector('.answered-item__text'), q.text);
      },
    });
  }

  function questionText(id) {
    return state.questions.get(id)?.text ?? staff.questions.get(id)?.text ?? null;
  }

  function renderNotes() {
    const notes = sortedNotes(staff);
    const unread = unreadCount(staff);
    if (el.unread) {
      el.unread.textContent = unread > 0 ? t.plural('unread_notes', unread, { n: numbers.format(unread) }) : '';
      el.unread.hidden = unread === 0;
    }
    if (el.notesEmpty) el.notesEmpty.hidden = notes.length > 0;
    if (!el.notes) return;
    reconcileList(el.notes, notes, {
      key: (n) => n.id,
      elementKey: (li) => li.dataset.noteId,
      create: (n) => h(doc, 'li', { className: 'note', dataset: { noteId: n.id } },
        h(doc, 'p', { className: 'note__meta' },
          h(doc, 'span', { className: 'note__author' }), ' ',
          h(doc, 'time', { className: 'note__time' })),
        h(doc, 'p', { className: 'note__text', attrs: { id: `note-${n.id}-text` } }),
        h(doc, 'p', { className: 'note__about' }),
        h(doc, 'button', {
          className: 'button button--small button--secondary mark-read',
          attrs: { type: 'button', 'aria-describedby': `note-${n.id}-text` },
          dataset: { noteId: n.id },
          text: t('mark_read'),
        })),
      update: (li, n) => {
        li.classList.toggle('note--unread', !n.read_at);
        setText(li.querySelector('.note__author'), n.author?.name ?? '');
        const time = li.querySelector('.note__time');
        const at = Date.parse(n.created_at);
        setText(time, Number.isNaN(at) ? '' : clockFormat.format(at));
        if (n.created_at) time.setAttribute('datetime', n.created_at);
        setText(li.querySelector('.note__text'), n.text);
        const about = Number.isSafeInteger(n.question) ? questionText(n.question) : null;
        setText(li.querySelector('.note__about'), about ? t('note_about', { text: about }) : '');
        li.querySelector('.mark-read').hidden = Boolean(n.read_at);
      },
    });
  }

  function renderPresence() {
    if (!el.presence) return;
    el.presence.replaceChildren(...staff.staff.map((s) => h(doc, 'li', { className: 'presence__item', text: s.role ? `${s.name} (${s.role})` : s.name })));
  }

  function setText(node, text) {
    if (node && node.textContent !== String(text ?? '')) node.textContent = String(text ?? '');
  }

  function showAlert(text) {
    if (!el.alert) return;
    el.alert.replaceChildren(h(doc, 'p', { text }));
    el.alert.classList.add('inline-alert--shown');
  }

  function clearAlert() {
    if (!el.alert) return;
    el.alert.replaceChildren();
    el.alert.classList.remove('inline-alert--shown');
  }

  // MARK: actions

  /** Sends an action (one at a time: clicks while one is on its way are ignored). */
  async function act(path, body, { done, onAnswer, focusAfter } = {}) {
    if (busy) return;
    clearAlert();
    busy = true;
    main.classList.add('is-busy');
    try {
      const answer = await api(path, { method: 'POST', body });
      onAnswer?.(answer);
      if (done) say(done);
    } catch (error) {
      showAlert(error instanceof ApiError && error.status === 0 ? t('network_failed') : (error.message || t('action_failed')));
    } finally {
      busy = false;
      main.classList.remove('is-busy');
      render();
      // The button pressed may have gone (its question left the queue, the state changed): land somewhere useful.
      if (focusAfter && (doc.activeElement === doc.body || doc.activeElement === null || doc.activeElement?.disabled || doc.activeElement?.hidden)) {
        const target = $(focusAfter);
        target?.setAttribute('tabindex', '-1');
        target?.focus({ preventScroll: false });
      }
    }
  }

  const sittingPath = `/api/v1/sittings/${encodeURIComponent(sittingId)}`;
  const adoptSitting = (answer) => {
    if (answer && typeof answer.state === 'string') {
      state = reduceSitting(state, HearingEvent.SITTING, answer);
    }
  };
  const adoptOnScreen = (answer) => {
    if (answer && 'on_screen' in answer) state = reduceSitting(state, HearingEvent.ON_SCREEN, { question: answer.on_screen });
  };

  function putOnScreen(id) {
    act(`${sittingPath}/on-screen`, { question: id }, { done: t('done_on_screen'), onAnswer: adoptOnScreen, focusAfter: 'chair-on-screen-heading' });
  }

  el.start?.addEventListener('click', () => act(`${sittingPath}/state`, { state: 'live' }, { done: t('done_started'), onAnswer: adoptSitting, focusAfter: 'sitting-control-heading' }));
  el.end?.addEventListener('click', () => {
    if (el.endDialog && typeof el.endDialog.showModal === 'function') {
      el.endDialog.showModal();
      el.endDialog.querySelector('[data-close]')?.focus();
    } else {
      act(`${sittingPath}/state`, { state: 'ended' }, { done: t('done_ended'), onAnswer: adoptSitting });
    }
  });
  el.endConfirm?.addEventListener('click', () => {
    el.endDialog.close();
    act(`${sittingPath}/state`, { state: 'ended' }, { done: t('done_ended'), onAnswer: adoptSitting, focusAfter: 'sitting-control-heading' });
  });
  el.endDialog?.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-close]')) el.endDialog.close();
  });
  el.endDialog?.addEventListener('close', () => {
    const target = !el.end.hidden ? el.end : el.sittingState;
    target?.focus?.({ preventScroll: true });
  });

  el.answered?.addEventListener('click', () => {
    const q = state.onScreen;
    if (!q) return;
    act(`/api/v1/questions/${q.id}/answered`, {}, {
      done: t('done_answered'),
      onAnswer: (answer) => { if (answer?.question) state = reduceSitting(state, HearingEvent.QUESTION, answer.question); },
      focusAfter: 'chair-queue-heading',
    });
  });
  el.clear?.addEventListener('click', () => act(`${sittingPath}/on-screen`, { question: null }, { done: t('done_cleared'), onAnswer: adoptOnScreen, focusAfter: 'chair-queue-heading' }));
  el.pullNext?.addEventListener('click', () => {
    const q = nextQuestion(state, { order: order(), tag: filter() });
    if (q) putOnScreen(q.id);
    else say(t('chair_queue_empty'));
  });
  el.queue?.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('.put-on-screen') : null;
    if (button && !button.disabled) putOnScreen(Number(button.dataset.questionId));
  });
  for (const input of doc.querySelectorAll('input[name="order"]')) input.addEventListener('change', renderQueue);
  el.filter?.addEventListener('change', renderQueue);

  el.notes?.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('.mark-read') : null;
    if (!button) return;
    const id = Number(button.dataset.noteId);
    button.disabled = true;
    try {
      const note = await api(`/api/v1/notes/${id}/read`, { method: 'POST', body: {} });
      staff = applyNote(staff, note && Number.isSafeInteger(note.id) ? note : { id, read_at: new Date(now()).toISOString() });
      renderNotes();
      el.notes.closest('section')?.querySelector('h2')?.setAttribute('tabindex', '-1');
      const next = el.notes.querySelector('.note--unread .mark-read');
      (next ?? el.notes.closest('section')?.querySelector('h2'))?.focus({ preventScroll: true });
    } catch (error) {
      button.disabled = false;
      showAlert(error.message || t('action_failed'));
    }
  });

  // MARK: live

  const texts = connectionTexts(t);
  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: (s) => showConnection(el.status, s, texts),
  });
  showConnection(el.status, 'connecting', texts);

  live.subscribe(publicTopic, {
    onSnapshot(data) {
      state = applySnapshot(state, data);
      render();
      renderNotes();
      showViewers();
    },
    onEvent(name, data) {
      const next = reduceSitting(state, name, data);
      if (next === state) return;
      state = next;
      if (name === HearingEvent.VIEWERS) showViewers();
      else render();
    },
  });

  live.subscribe(staffTopic, {
    onSnapshot(data) {
      staff = applyModerationSnapshot(staff, data);
      renderNotes();
      renderPresence();
    },
    onEvent(name, data) {
      const isNew = name === HearingEvent.NOTE && data && !staff.notes.has(data.id);
      staff = reduceModeration(staff, name, data);
      if (name === HearingEvent.NOTE) {
        renderNotes();
        if (isNew) liveAnnouncer?.announce(t('announce_note', { name: data.author?.name ?? '' }));
      } else if (name === HearingEvent.PRESENCE) {
        renderPresence();
      }
    },
    onError(error) { showAlert(t(error?.code === 'access_revoked' ? 'access_revoked' : 'moderation_forbidden')); },
  });
  wireLifecycle(live, { doc, win });

  function showViewers() {
    if (!el.viewers) return;
    el.viewers.hidden = false;
    el.viewers.textContent = t.plural('viewers', state.viewers, { n: numbers.format(state.viewers) });
  }

  if (fetchImpl) {
    startPresence({
      api, sittingId, doc, win,
      onStaff: (list) => { staff = applyPresence(staff, { staff: list }); renderPresence(); },
      onUnauthorized: () => showAlert(t('session_expired')),
    });
  }
  win.setInterval(renderClock, 1000);

  render();
  renderNotes();
  return { live, getState: () => state, getStaffState: () => staff };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'chair')) {
  enhanceChairPage();
}
