// The moderation console of a sitting (templates/moderate.mustache, GET /sittings/{id}/moderate). It needs
// JavaScript (the template says so in a <noscript>). Driven from the keyboard: see MODERATION_KEYS in
// moderation-state.js and the help dialog (`?`).
//
// Two lists, each one tab stop with a roving tabindex: the queue of submitted questions (oldest first) and the
// approved ones (merge targets, editable). The selected item of each list has tabindex=0 and aria-current="true";
// the list being worked in is main[data-active-list]. Actions go to POST /api/v1/questions/{id}/moderation
// (bodies as in Protocol/HEARINGS.md §3); a 409 shows the server's message in #moderation-alert and reloads the
// questions, so each item is left as the server says.
//
// DOM hooks: #main[data-moderation-topic][data-topic][data-staff-id][data-active-list], ol#queue-list and
// ol#approved-list > li.mod-item[data-question-id][data-claim="none|mine|other"][aria-current], #queue-count,
// #approved-count, #moderation-actions button[data-action], #moderation-alert, #action-status, #presence-list,
// #viewer-count, #live-status, dialogs #reject-dialog, #tag-dialog, #merge-dialog (#merge-filter,
// #merge-options), #priority-dialog (#priority-input), #note-dialog (#note-text, #note-about), #help-dialog,
// inline edit form.mod-edit > textarea. Each item shows its held votes (.mod-item__held: votes from one network over
// the sitting's cap, not counted); `v` (button data-action="release_votes") counts them.
//
// This module only wires: the state is moderation-state.js (pure), the page is drawn by moderate-view.js, and the parts
// are moderate-lists.js (the two lists, selection and focus), moderate-actions.js (the API calls),
// moderate-dialogs.js (the dialogs) and moderate-edit.js (the inline edit); tests/moderate-parts.test.mjs runs each
// alone, tests/moderate.test.mjs the whole console with a fake socket and fetch.

import { Announcer } from './announcer.js';
import { apiClient } from './api.js';
import { connectionTexts, isTypingTarget, liveUrl, showConnection, wireLifecycle } from './dom.js';
import { HearingEvent } from './hearing-state.js';
import { isPage } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { startPresence } from './presence.js';
import { LiveSocket } from './live-socket.js';
import {
  applyClaim, applyModerationSnapshot, applyPresence, applyStaffQuestion, applyStaffVotes, approvedQuestions, emptyModerationState,
  mergeTargets, moderationBody, moderationQueue, reduceModeration, replaceQuestions, resolveModerationKey,
} from './moderation-state.js';
import { actionErrorText, moderationActions } from './moderate-actions.js';
import { wireModerationDialogs } from './moderate-dialogs.js';
import { inlineEdit } from './moderate-edit.js';
import { wireModerationLists } from './moderate-lists.js';
import {
  clearAlert, moderateElements, renderActions, renderPresence, renderSittingState, renderViewers, showAlert,
} from './moderate-view.js';

export { DONE_KEYS, excerpt } from './moderate-actions.js';

const CLAIM_REFRESH_MS = 5_000;

export function enhanceModeratePage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
  now = () => Date.now(),
} = {}) {
  const main = doc.getElementById('main');
  const moderationTopicName = main?.dataset.moderationTopic;
  const publicTopic = main?.dataset.topic;
  const sittingId = main?.dataset.sittingId;
  if (!moderationTopicName || !publicTopic || !sittingId) return null;

  const t = pageTranslator(doc);
  const numbers = new Intl.NumberFormat(t.lang);
  const api = apiClient(fetchImpl);
  const me = { id: main.dataset.staffId || null, name: main.dataset.staffName || null };
  const el = moderateElements(doc);
  const liveAnnouncer = el.liveAnnouncer ? new Announcer(el.liveAnnouncer) : null;
  const actionAnnouncer = el.actionStatus ? new Announcer(el.actionStatus, { intervalMs: 1500 }) : null;
  const say = (text) => actionAnnouncer?.announce(text);
  const alert = (text) => showAlert(el, doc, text);

  let mod = emptyModerationState(Number(sittingId));
  const render = () => lists.render();

  const actions = moderationActions({
    api, t, sittingId, me, now, say, showAlert: alert, clearAlert: () => clearAlert(el),
    onQuestion: (question) => { mod = applyStaffQuestion(mod, question); },
    onClaim: (claim) => { mod = applyClaim(mod, claim); },
    onQuestions: (questions) => { mod = replaceQuestions(mod, questions); render(); },
    onChange: render,
  });

  const dialogs = wireModerationDialogs({
    doc, t, numbers, say, showAlert: alert,
    question: (id) => mod.questions.get(id) ?? null,
    targets: (id, filter) => mergeTargets(mod, id, filter),
    selected: () => selectedQuestion(),
    onModerate: (q, body) => actions.moderate(q, body),
    sendNote: (body) => actions.sendNote(body),
    errorText: (error) => actionErrorText(t, error),
    fallbackFocus: () => lists.fallbackFocus(),
  });

  const edit = inlineEdit({
    doc, t, say,
    question: (id) => mod.questions.get(id) ?? null,
    onSave: (q, text) => actions.moderate(q, moderationBody.edit(text)),
    refocus: (list, id) => { const li = lists.itemElement(list, id); if (li) li.focus({ preventScroll: true }); else lists.focusSelected(list); },
  });

  const lists = wireModerationLists({
    doc, t, numbers, me, now,
    items: { queue: () => moderationQueue(mod), approved: () => approvedQuestions(mod) },
    isBusy: (id) => actions.isPending(id),
    dialogOpen: () => dialogs.isOpen(),
    onShown: (name, ids) => edit.keepOnly(name, ids),
    onChange: () => {
      const q = selectedQuestion();
      renderActions(el.actions, q, { t, me, now: now(), busy: q !== null && actions.isPending(q.id) });
    },
  });

  function selectedQuestion() {
    const { id } = lists.selection();
    return id === null ? null : mod.questions.get(id) ?? null;
  }

  /** An action of the keyboard map or the action bar on the selected question. */
  function run(action) {
    switch (action) {
      case 'next': case 'previous': case 'first': case 'last': lists.move(action); return;
      case 'help': dialogs.help(); return;
      case 'note': dialogs.note(); return;
      default: break;
    }
    const q = selectedQuestion();
    if (!q) { say(t('select_first')); return; }
    if (actions.isPending(q.id)) return;
    switch (action) {
      case 'claim': actions.toggleClaim(q); break;
      case 'approve':
        if (q.state === 'submitted') actions.moderate(q, moderationBody.approve());
        else alert(t('approve_only_submitted'));
        break;
      case 'reject': dialogs.reject(q); break;
      case 'edit': edit.start(q, lists.itemElement(lists.selection().list, q.id), lists.selection().list); break;
      case 'merge': dialogs.merge(q); break;
      case 'tag': dialogs.tag(q); break;
      case 'priority': dialogs.priority(q); break;
      case 'release_votes':
        if ((q.held_votes ?? 0) > 0) actions.moderate(q, moderationBody.releaseVotes());
        break;
      default: break;
    }
  }

  doc.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const target = event.target instanceof Element ? event.target : null;
    const action = resolveModerationKey(event, {
      typing: isTypingTarget(target),
      dialogOpen: dialogs.isOpen(),
      onList: Boolean(target?.closest('.mod-list')),
    });
    if (!action) return;
    event.preventDefault();
    run(action);
  });

  el.actions?.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (button && !button.disabled) run(button.dataset.action);
  });

  // MARK: live

  const texts = connectionTexts(t);
  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: (s) => showConnection(el.status, s, texts),
  });
  showConnection(el.status, 'connecting', texts);
  const drawPresence = () => renderPresence(el, doc, mod.staff, t);

  live.subscribe(moderationTopicName, {
    onSnapshot(data) {
      mod = applyModerationSnapshot(mod, data);
      render();
      drawPresence();
    },
    onEvent(name, data) {
      const wasQueued = name === HearingEvent.QUESTION && mod.questions.get(data?.id)?.state === 'submitted';
      mod = reduceModeration(mod, name, data);
      if (name === HearingEvent.PRESENCE) { drawPresence(); return; }
      render();
      if (name === HearingEvent.QUESTION && data?.state === 'submitted' && !wasQueued) {
        const n = lists.ids('queue').length;
        liveAnnouncer?.announce(t.plural('queue_length', n, { n: numbers.format(n) }));
      }
    },
    onError(error) { alert(t(error?.code === 'access_revoked' ? 'access_revoked' : 'moderation_forbidden')); },
  });

  live.subscribe(publicTopic, {
    onSnapshot(data) {
      renderViewers(el, data?.viewers, { t, numbers });
      renderSittingState(el, data?.state, { t });
    },
    onEvent(name, data) {
      if (name === HearingEvent.VIEWERS) renderViewers(el, data?.viewers, { t, numbers });
      else if (name === HearingEvent.SITTING) renderSittingState(el, data?.state, { t });
      else if (name === HearingEvent.VOTES) { mod = applyStaffVotes(mod, data); render(); }
    },
  });
  wireLifecycle(live, { doc, win });

  if (fetchImpl) {
    startPresence({
      api,
      sittingId,
      doc,
      win,
      onStaff: (staff) => { mod = applyPresence(mod, { staff }); drawPresence(); },
      onUnauthorized: () => alert(t('session_expired')),
    });
  }
  // Claims expire by themselves: show it.
  win.setInterval(render, CLAIM_REFRESH_MS);

  render();
  return { live, getState: () => mod, run };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'moderate')) {
  enhanceModeratePage();
}
