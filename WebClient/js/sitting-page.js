// Progressive enhancement of the viewer page of a sitting (templates/sitting.mustache, GET /sittings/{id}).
// Without this script the page works: the list is the one rendered, votes and questions are form posts.
// With it: the on-screen banner, the list, the votes and the sitting's state follow `sitting:{id}` live; votes
// toggle with fetch (aria-pressed); questions are asked with fetch and the participant's own questions are listed
// with their state; changes that matter are announced (throttled) to screen readers.
//
// This module is the wiring; its parts are tested alone: sitting-list.js (the list in the order that holds still
// under the finger), ask-form.js (the ask form), sitting-mine.js (my questions and votes, pure), sitting-view.js
// (items and banner), hearing-state.js (the topic's state).
//
// DOM hooks: #hc-viewer (JSON: my questions and votes), #main[data-topic][data-sitting-id][data-max-length], #live-status, #viewer-count, #live-announcer,
// #sitting-state, #on-screen (#on-screen-body), ol#question-list > li[data-question-id] (.vote-form, .vote-button,
// data.question__votes), #questions-empty, #vote-result, form#ask-form, #ask-result, #ask-closed, #my-questions
// (#my-question-list > li[data-question-id], .withdraw-button). main[data-can-take-part="false"]: the page could not
// give this visitor a participant (too many new ones from their network, HEARINGS.md §1): no vote buttons, no ask form.

import { Announcer } from './announcer.js';
import { ApiError, apiClient, apiErrorText } from './api.js';
import { SITTING_ERROR_KEYS, wireAskForm } from './ask-form.js';
import {
  clearMessage, connectionTexts, liveUrl, reconcileList, showConnection, showMessage, wireErrorSummaryLinks, wireLifecycle,
} from './dom.js';
import { applyMineModerated, emptySittingState, HearingEvent, reduceSitting, applySnapshot, sortMine, viewerList } from './hearing-state.js';
import { isPage, sittingStateText } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { LiveSocket } from './live-socket.js';
import { wireQuestionList } from './sitting-list.js';
import {
  mineAnnouncement, mineFromAnswer, syncMineWithPublic, viewerFromPage, votedAfterAnswer, votedAfterRefusal, votesFromAnswer, withMine,
  withdrawnFrom,
} from './sitting-mine.js';
import { bannerChildren, bannerView, createMyQuestionItem, myQuestionView, updateMyQuestionItem } from './sitting-view.js';

export { ASK_FIELDS } from './ask-form.js';

/**
 * Wires the page. Everything the browser provides can be injected.
 * @returns {{live: LiveSocket, getState: () => object, getMine: () => Array<object>} | null}
 */
export function enhanceSittingPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
  now = () => Date.now(),
} = {}) {
  const main = doc.getElementById('main');
  const topic = main?.dataset.topic;
  const sittingId = main?.dataset.sittingId;
  if (!topic || !sittingId) return null;

  const t = pageTranslator(doc);
  const numbers = new Intl.NumberFormat(t.lang);
  const api = apiClient(fetchImpl);
  const el = {
    status: doc.getElementById('live-status'),
    viewers: doc.getElementById('viewer-count'),
    announcer: doc.getElementById('live-announcer'),
    sittingState: doc.getElementById('sitting-state'),
    banner: doc.getElementById('on-screen'),
    bannerBody: doc.getElementById('on-screen-body'),
    voteResult: doc.getElementById('vote-result'),
    form: doc.getElementById('ask-form'),
    askResult: doc.getElementById('ask-result'),
    askClosed: doc.getElementById('ask-closed'),
    askNotice: doc.getElementById('ask-moderation-notice'),
    mine: doc.getElementById('my-questions'),
    mineList: doc.getElementById('my-question-list'),
    mineEmpty: doc.getElementById('my-questions-empty'),
  };
  const announcer = el.announcer ? new Announcer(el.announcer) : null;
  const announce = (text) => announcer?.announce(text);
  const csrfToken = doc.querySelector('input[name="csrf_token"]')?.value ?? '';
  const canTakePart = main.dataset.canTakePart !== 'false';

  let state = emptySittingState(Number(sittingId));
  state = { ...state, sitting: { ...state.sitting, state: main.dataset.state || 'scheduled' } };
  /** My questions (GET ?mine=1), kept up to date by the events. */
  let mine = [];
  /** Ids of the questions I voted for. */
  let voted = new Set();
  const votingNow = new Set();
  /** The id of the question the "Thank you" panel is about (null when the panel is not shown). */
  let thankedId = null;

  // MARK: rendering

  const isEnded = () => state.sitting.state === 'ended';
  const questionList = wireQuestionList({
    doc, win, t, numbers, announce, now,
    itemContext: { t, canTakePart, sittingId, csrfToken },
    viewContext: () => ({ t, numbers, voted, votingNow, ended: isEnded() }),
  });
  const renderQuestions = () => questionList?.render(viewerList(state));

  function renderBanner() {
    if (!el.bannerBody) return;
    const view = bannerView(t, state.onScreen);
    el.banner.dataset.questionId = view ? String(view.id) : '';
    el.bannerBody.replaceChildren(...bannerChildren(doc, view, t));
  }

  function renderViewers() {
    if (!el.viewers) return;
    el.viewers.hidden = false;
    el.viewers.textContent = t.plural('viewers', state.viewers, { n: numbers.format(state.viewers) });
  }

  function renderSittingState() {
    const s = state.sitting.state;
    main.dataset.state = s;
    if (el.sittingState) {
      el.sittingState.className = `tag tag--${s}`;
      el.sittingState.dataset.state = s;
      el.sittingState.textContent = sittingStateText(t, s);
    }
    const ended = isEnded();
    if (el.askClosed) el.askClosed.hidden = !ended;
    if (el.form) el.form.hidden = ended;
    if (el.askNotice) el.askNotice.hidden = ended;
  }

  function renderMine() {
    if (!el.mine || !el.mineList) return;
    el.mine.hidden = false;
    const list = sortMine(mine);
    if (el.mineEmpty) el.mineEmpty.hidden = list.length > 0;
    reconcileList(el.mineList, list, {
      key: (q) => q.id,
      elementKey: (li) => li.dataset.questionId,
      create: (q) => createMyQuestionItem(doc, q, t),
      update: (li, q) => updateMyQuestionItem(li, myQuestionView(t, q)),
    });
  }

  function renderAll() {
    renderSittingState();
    renderBanner();
    renderQuestions();
    renderViewers();
  }

  // MARK: live

  const texts = connectionTexts(t);
  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: (s) => showConnection(el.status, s, texts),
  });
  showConnection(el.status, 'connecting', texts);

  const announceOnScreen = (before) => {
    if (state.onScreen && state.onScreen.id !== before) announce(t('announce_on_screen', { text: state.onScreen.text }));
  };

  live.subscribe(topic, {
    onSnapshot(data) {
      const before = state.onScreen?.id ?? null;
      const wasSynced = state.synced;
      state = applySnapshot(state, data);
      renderAll();
      if (wasSynced) announceOnScreen(before);
      syncMine();
    },
    onEvent(name, data) {
      const before = state.onScreen?.id ?? null;
      state = reduceSitting(state, name, data);
      switch (name) {
        case HearingEvent.ON_SCREEN:
          renderBanner();
          renderQuestions();
          announceOnScreen(before);
          break;
        case HearingEvent.QUESTION:
        case HearingEvent.VOTES:
          renderQuestions();
          if (name === HearingEvent.QUESTION) { renderBanner(); syncMine(); }
          break;
        case HearingEvent.MODERATED:
          renderQuestions();
          renderBanner();
          onModerated(data);
          break;
        case HearingEvent.SITTING:
          renderSittingState();
          renderQuestions();
          break;
        case HearingEvent.VIEWERS:
          renderViewers();
          break;
        default:
          break;
      }
    },
  });
  wireLifecycle(live, { doc, win });

  // MARK: my questions

  function onModerated(data) {
    const { mine: next, changes } = applyMineModerated(mine, data);
    if (next === mine) return;
    mine = next;
    renderMine();
    for (const change of changes) {
      if (change.id === thankedId) foldThanks();
      const text = mineAnnouncement(t, change);
      if (text) announce(text);
    }
    loadMine(); // the server's word on the details (reason text, merged_into)
  }

  /**
   * Removes the "Thank you, your question has been sent" panel (already announced: role=alert). Never while it has
   * focus, which would drop the focus to the page: then the next keystroke in the question field folds it.
   */
  function foldThanks({ force = false } = {}) {
    const result = el.askResult;
    if (!result || !result.classList.contains('form-result--success')) { thankedId = null; return; }
    if (!force && result.contains(doc.activeElement)) return;
    clearMessage(result);
    thankedId = null;
  }

  /** A published question of mine changed (answered, on screen, edited): keep my list in step. */
  function syncMine() {
    const next = syncMineWithPublic(mine, state.questions);
    if (next !== mine) { mine = next; renderMine(); }
  }

  async function loadMine() {
    if (!fetchImpl) return;
    try {
      const answer = mineFromAnswer(await api(`/api/v1/sittings/${encodeURIComponent(sittingId)}/questions?mine=1`));
      mine = answer.mine;
      for (const id of answer.voted) voted.add(id);
      renderMine();
    } catch { /* the list stays as it is; the next moderation event tries again */ }
  }

  async function loadVoted() {
    if (!fetchImpl) return;
    try {
      const answer = votesFromAnswer(await api(`/api/v1/sittings/${encodeURIComponent(sittingId)}/questions`));
      for (const id of answer.voted) voted.add(id);
      for (const id of answer.notVoted) voted.delete(id);
      refreshVoteButtons();
    } catch { /* buttons stay unpressed until a vote says otherwise */ }
  }

  function refreshVoteButtons() {
    for (const button of questionList?.list.querySelectorAll('.vote-button') ?? []) {
      button.setAttribute('aria-pressed', String(voted.has(Number(button.dataset.questionId))));
    }
  }

  // MARK: votes

  questionList?.list.addEventListener('submit', (event) => {
    const form = event.target instanceof Element ? event.target.closest('.vote-form') : null;
    if (!form || !fetchImpl) return;
    event.preventDefault();
    const button = form.querySelector('.vote-button');
    const id = Number(button?.dataset.questionId ?? form.closest('[data-question-id]')?.dataset.questionId);
    if (Number.isSafeInteger(id)) toggleVote(id, button);
  });

  async function toggleVote(id, button) {
    if (votingNow.has(id)) return;
    const unvote = voted.has(id);
    votingNow.add(id);
    if (button) button.disabled = true;
    clearMessage(el.voteResult);
    try {
      const body = await api(`/api/v1/questions/${id}/vote`, { method: unvote ? 'DELETE' : 'POST', body: {} });
      voted = votedAfterAnswer(voted, id, body);
      if (Number.isSafeInteger(body?.votes)) state = reduceSitting(state, HearingEvent.VOTES, { votes: { [id]: body.votes } });
      // A held vote is recorded but not counted yet (too many from one network): say so rather than let the count
      // look like it ignored the click.
      if (body?.held === true) showMessage(doc, el.voteResult, 'info', null, t('vote_held'), { focus: false });
    } catch (error) {
      const known = error instanceof ApiError ? votedAfterRefusal(voted, id, error.code) : null;
      if (known) voted = known;
      else showMessage(doc, el.voteResult, 'error', null, apiErrorText(t, error instanceof ApiError ? error : {}, 'vote_failed', { codes: SITTING_ERROR_KEYS }), { focus: false });
    } finally {
      votingNow.delete(id);
      renderQuestions();
      const current = questionList?.list.querySelector(`[data-question-id="${id}"] .vote-button`);
      if (current && button && doc.activeElement === doc.body) current.focus({ preventScroll: true });
    }
  }

  // MARK: withdraw

  el.mineList?.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('.withdraw-button') : null;
    if (!button || !fetchImpl) return;
    event.preventDefault(); // the server-rendered button is also a no-JavaScript form's submit
    const id = Number(button.dataset.questionId);
    button.disabled = true;
    try {
      const body = await api(`/api/v1/questions/${id}`, { method: 'DELETE', body: {} });
      mine = withdrawnFrom(mine, id, body?.state);
      renderMine();
      announce(t('announce_withdrawn'));
      el.mine?.querySelector('h2')?.setAttribute('tabindex', '-1');
      el.mine?.querySelector('h2')?.focus();
    } catch (error) {
      button.disabled = false;
      announce(apiErrorText(t, error instanceof ApiError ? error : {}, 'withdraw_failed', { codes: SITTING_ERROR_KEYS }));
      loadMine();
    }
  });

  // MARK: the ask form

  if (fetchImpl) {
    wireAskForm({
      doc, win, t, sittingId, api, maxLength: main.dataset.maxLength,
      onTyping: () => foldThanks({ force: true }),
      onSent(question, { waiting }) {
        mine = withMine(mine, question);
        renderMine();
        // Folded when the question leaves the waiting state (see onModerated) or when a new one is being typed.
        thankedId = waiting && Number.isSafeInteger(question.id) ? question.id : null;
      },
    });
  }

  // A summary rendered by the server after a no-JS attempt: take the user to it.
  doc.getElementById('error-summary')?.focus();
  wireErrorSummaryLinks(doc);

  // My questions and votes: from the page when the server put them there (#hc-viewer: two requests fewer on a cold
  // visit), else from the API.
  const known = viewerFromPage(doc.getElementById('hc-viewer')?.textContent);
  if (el.mine) el.mine.hidden = false;
  if (known) {
    mine = known.mine;
    voted = new Set(known.voted);
    renderMine();
    refreshVoteButtons();
  } else {
    if (el.mine) loadMine();
    loadVoted();
  }

  return { live, getState: () => state, getMine: () => mine };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'sitting')) {
  enhanceSittingPage();
}
