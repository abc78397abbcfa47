// The chair's console (templates/chair.mustache, GET /sittings/{id}/chair). Needs JavaScript.
// Follows `sitting:{id}` (the queue, on screen, votes, state, viewers) and `sitting:{id}:moderation` (notes, presence,
// and the questions still waiting for the moderators: the backlog). Buttons call the API of Protocol/HEARINGS.md §3.
//
// This module only wires: what is shown comes from chairView() (chair-state.js, pure) and is drawn by chair-view.js.
// Starting the sitting asks for a confirmation (#start-dialog) as ending does (#end-dialog); the screen's actions are
// disabled, with the reason in #screen-actions-reason, until the sitting is live. Keys (chair-state.js CHAIR_KEYS):
// j/k or arrows move through the queue, s or Enter puts the selected question on screen, n the next one, a marks the
// question on screen answered, x clears the screen, o switches the order, f goes to the filter, ? lists them.
//
// DOM hooks: #main[data-topic][data-moderation-topic], #sitting-state, #start-sitting (#start-dialog, #start-confirm),
// #end-sitting (#end-dialog, #end-confirm), #stream-clock, #chair-on-screen-body, #answered-button,
// #clear-screen-button, #screen-actions-reason, input[name=order], select#chair-filter, #pull-next,
// ol#chair-queue > li[data-question-id][aria-current] button.put-on-screen, #moderation-backlog[data-count],
// ol#answered-list, ul#notes-list > li[data-note-id] button.mark-read, #unread-count, #presence-list, #viewer-count,
// #chair-alert, #live-status, #chair-help-dialog, #chair-help-button.

import { Announcer } from './announcer.js';
import { ApiError, apiClient } from './api.js';
import { moveChairSelection, chairView, otherOrder, resolveChairKey, streamClockSeconds } from './chair-state.js';
import {
  chairElements, clearAlert, renderAnswered, renderBacklog, renderClock, renderNotes, renderOnScreen, renderPresence, renderQueue,
  renderSitting, renderViewers, showAlert,
} from './chair-view.js';
import { connectionTexts, isTypingTarget, liveUrl, showConnection, wireLifecycle } from './dom.js';
import { HearingEvent, applySnapshot, emptySittingState, reduceSitting } from './hearing-state.js';
import { isPage } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { LiveSocket } from './live-socket.js';
import { applyModerationSnapshot, applyNote, applyPresence, emptyModerationState, reduceModeration } from './moderation-state.js';
import { startPresence } from './presence.js';

export { streamClockSeconds };

/** Opens a modal dialog and focuses its first button marked `data-close` (the safe choice), or runs `fallback`. */
function openDialog(dialog, fallback) {
  if (dialog && typeof dialog.showModal === 'function') {
    dialog.showModal();
    dialog.querySelector('[data-close]')?.focus();
  } else {
    fallback?.();
  }
}

export function enhanceChairPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
  now = () => Date.now(),
} = {}) {
  const el = chairElements(doc);
  const main = el.main;
  const publicTopic = main?.dataset.topic;
  const staffTopic = main?.dataset.moderationTopic;
  const sittingId = main?.dataset.sittingId;
  if (!publicTopic || !staffTopic || !sittingId) return null;

  const t = pageTranslator(doc);
  const numbers = new Intl.NumberFormat(t.lang);
  const clockFormat = new Intl.DateTimeFormat(t.lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const api = apiClient(fetchImpl);
  const actionAnnouncer = doc.getElementById('action-status') ? new Announcer(doc.getElementById('action-status'), { intervalMs: 1500 }) : null;
  const say = (text) => actionAnnouncer?.announce(text);
  const liveAnnouncer = doc.getElementById('live-announcer') ? new Announcer(doc.getElementById('live-announcer')) : null;

  let state = emptySittingState(Number(sittingId));
  state = { ...state, sitting: { ...state.sitting, state: main.dataset.state || 'scheduled' } };
  let staff = emptyModerationState(Number(sittingId));
  let selectedId = null;
  let busy = false;

  const order = () => doc.querySelector('input[name="order"]:checked')?.value ?? 'votes';
  const filter = () => el.filter?.value ?? '';
  const view = () => chairView(state, staff, { order: order(), tag: filter(), selectedId });
  const questionText = (id) => state.questions.get(id)?.text ?? staff.questions.get(id)?.text ?? null;

  function render() {
    const v = view();
    selectedId = v.selectedId;
    renderSitting(el, v, t);
    renderClock(el, streamClockSeconds(state.sitting, now()));
    renderOnScreen(doc, el, v, { t, numbers });
    renderQueue(doc, el, v, { t, numbers });
    renderAnswered(doc, el, v);
    renderBacklog(el, v, { t, numbers });
  }
  const renderStaff = () => renderNotes(doc, el, staff, { t, numbers, clockFormat, questionText });

  // MARK: actions

  /** Sends an action (one at a time: clicks while one is on its way are ignored). */
  async function act(path, body, { done, onAnswer, focusAfter } = {}) {
    if (busy) return;
    clearAlert(el);
    busy = true;
    main.classList.add('is-busy');
    try {
      const answer = await api(path, { method: 'POST', body });
      onAnswer?.(answer);
      if (done) say(done);
    } catch (error) {
      showAlert(doc, el, error instanceof ApiError && error.status === 0 ? t('network_failed') : (error.message || t('action_failed')));
    } finally {
      busy = false;
      main.classList.remove('is-busy');
      render();
      // The button pressed may have gone (its question left the queue, the state changed): land somewhere useful.
      const active = doc.activeElement;
      if (focusAfter && (active === doc.body || active === null || active?.disabled || active?.hidden || !active?.isConnected)) {
        const target = doc.getElementById(focusAfter);
        target?.setAttribute('tabindex', '-1');
        target?.focus({ preventScroll: false });
      }
    }
  }

  const sittingPath = `/api/v1/sittings/${encodeURIComponent(sittingId)}`;
  const adoptSitting = (answer) => {
    if (answer && typeof answer.state === 'string') state = reduceSitting(state, HearingEvent.SITTING, answer);
  };
  const adoptOnScreen = (answer) => {
    if (answer && 'on_screen' in answer) state = reduceSitting(state, HearingEvent.ON_SCREEN, { question: answer.on_screen });
  };
  const putOnScreen = (id) => {
    if (!view().screen.enabled) return;
    act(`${sittingPath}/on-screen`, { question: id }, { done: t('done_on_screen'), onAnswer: adoptOnScreen, focusAfter: 'chair-on-screen-heading' });
  };
  const start = () => act(`${sittingPath}/state`, { state: 'live' }, { done: t('done_started'), onAnswer: adoptSitting, focusAfter: 'sitting-control-heading' });
  const end = () => act(`${sittingPath}/state`, { state: 'ended' }, { done: t('done_ended'), onAnswer: adoptSitting, focusAfter: 'sitting-control-heading' });
  const markAnswered = () => {
    const q = state.onScreen;
    if (!q || view().answeredDisabled) return;
    act(`/api/v1/questions/${q.id}/answered`, {}, {
      done: t('done_answered'),
      onAnswer: (answer) => { if (answer?.question) state = reduceSitting(state, HearingEvent.QUESTION, answer.question); },
      focusAfter: 'chair-queue-heading',
    });
  };
  const clearScreen = () => {
    if (!state.onScreen) return;
    act(`${sittingPath}/on-screen`, { question: null }, { done: t('done_cleared'), onAnswer: adoptOnScreen, focusAfter: 'chair-queue-heading' });
  };
  const pullNext = () => {
    const v = view();
    if (v.pullNextDisabled) return;
    putOnScreen(v.queue[0].id);
  };

  // Starting and ending are each confirmed in a dialog (without <dialog> support: at once, as before).
  el.start?.addEventListener('click', () => openDialog(el.startDialog, start));
  el.startConfirm?.addEventListener('click', () => { el.startDialog.close(); start(); });
  el.end?.addEventListener('click', () => openDialog(el.endDialog, end));
  el.endConfirm?.addEventListener('click', () => { el.endDialog.close(); end(); });
  for (const dialog of [el.startDialog, el.endDialog, el.helpDialog]) {
    dialog?.addEventListener('click', (event) => {
      if (event.target instanceof Object && typeof event.target.closest === 'function' && event.target.closest('[data-close]')) dialog.close();
    });
  }
  el.startDialog?.addEventListener('close', () => (el.start?.hidden ? el.sittingState : el.start)?.focus?.({ preventScroll: true }));
  el.endDialog?.addEventListener('close', () => (el.end?.hidden ? el.sittingState : el.end)?.focus?.({ preventScroll: true }));
  el.helpDialog?.addEventListener('close', () => el.helpButton?.focus?.({ preventScroll: true }));
  el.helpButton?.addEventListener('click', () => openDialog(el.helpDialog));

  el.answered?.addEventListener('click', markAnswered);
  el.clear?.addEventListener('click', clearScreen);
  el.pullNext?.addEventListener('click', pullNext);
  el.queue?.addEventListener('click', (event) => {
    const button = typeof event.target?.closest === 'function' ? event.target.closest('.put-on-screen') : null;
    if (button && !button.disabled) putOnScreen(Number(button.dataset.questionId));
  });
  for (const input of doc.querySelectorAll('input[name="order"]')) input.addEventListener('change', render);
  el.filter?.addEventListener('change', render);

  function select(id, { focus = true } = {}) {
    selectedId = id;
    render();
    if (focus && id !== null) el.queue?.querySelector(`li[data-question-id="${id}"]`)?.focus({ preventScroll: false });
  }

  doc.addEventListener('keydown', (event) => {
    const target = event.target;
    const inQueue = Boolean(target && typeof target.closest === 'function' && target.matches?.('li') && target.closest('#chair-queue'));
    const action = resolveChairKey(event, { typing: isTypingTarget(target), dialogOpen: Boolean(doc.querySelector('dialog[open]')), inQueue });
    if (!action) return;
    event.preventDefault();
    const v = view();
    switch (action) {
      case 'next': case 'previous': case 'first': case 'last':
        select(moveChairSelection(v.queue, v.selectedId, action));
        break;
      case 'put_on_screen': if (v.selectedId !== null) putOnScreen(v.selectedId); break;
      case 'pull_next': pullNext(); break;
      case 'answered': markAnswered(); break;
      case 'clear': clearScreen(); break;
      case 'toggle_order': {
        const next = doc.querySelector(`input[name="order"][value="${otherOrder(order())}"]`);
        if (next) { next.checked = true; render(); say(next.labels?.[0]?.textContent ?? ''); }
        break;
      }
      case 'filter': el.filter?.focus(); break;
      case 'help': openDialog(el.helpDialog); break;
      default: break;
    }
  });

  el.notes?.addEventListener('click', async (event) => {
    const button = typeof event.target?.closest === 'function' ? event.target.closest('.mark-read') : null;
    if (!button) return;
    const id = Number(button.dataset.noteId);
    button.disabled = true;
    try {
      const note = await api(`/api/v1/notes/${id}/read`, { method: 'POST', body: {} });
      staff = applyNote(staff, note && Number.isSafeInteger(note.id) ? note : { id, read_at: new Date(now()).toISOString() });
      renderStaff();
      el.notes.closest('section')?.querySelector('h2')?.setAttribute('tabindex', '-1');
      const next = el.notes.querySelector('.note--unread .mark-read');
      (next ?? el.notes.closest('section')?.querySelector('h2'))?.focus({ preventScroll: true });
    } catch (error) {
      button.disabled = false;
      showAlert(doc, el, error.message || t('action_failed'));
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
      renderStaff();
      renderViewers(el, state.viewers, { t, numbers });
    },
    onEvent(name, data) {
      const next = reduceSitting(state, name, data);
      if (next === state) return;
      state = next;
      if (name === HearingEvent.VIEWERS) renderViewers(el, state.viewers, { t, numbers });
      else render();
    },
  });

  live.subscribe(staffTopic, {
    onSnapshot(data) {
      staff = applyModerationSnapshot(staff, data);
      renderStaff();
      renderPresence(doc, el, staff, t);
      render();
    },
    onEvent(name, data) {
      const isNew = name === HearingEvent.NOTE && data && !staff.notes.has(data.id);
      const next = reduceModeration(staff, name, data);
      if (next === staff) return;
      staff = next;
      if (name === HearingEvent.NOTE) {
        renderStaff();
        if (isNew) liveAnnouncer?.announce(t('announce_note', { name: data.author?.name ?? '' }));
      } else if (name === HearingEvent.PRESENCE) {
        renderPresence(doc, el, staff, t);
      } else {
        render();  // a question's moderation moves the backlog
      }
    },
    onError(error) { showAlert(doc, el, t(error?.code === 'access_revoked' ? 'access_revoked' : 'moderation_forbidden')); },
  });
  wireLifecycle(live, { doc, win });

  if (fetchImpl) {
    startPresence({
      api, sittingId, doc, win,
      onStaff: (list) => { staff = applyPresence(staff, { staff: list }); renderPresence(doc, el, staff, t); },
      onUnauthorized: () => showAlert(doc, el, t('session_expired')),
    });
  }
  win.setInterval(() => renderClock(el, streamClockSeconds(state.sitting, now())), 1000);

  render();
  renderStaff();
  return { live, getState: () => state, getStaffState: () => staff, getView: view };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'chair')) {
  enhanceChairPage();
}
