// Progressive enhancement of the viewer page of a sitting (templates/sitting.mustache, GET /sittings/{id}).
// Without this script the page works: the list is the one rendered, votes and questions are form posts.
// With it: the on-screen banner, the list, the votes and the sitting's state follow `sitting:{id}` live; votes
// toggle with fetch (aria-pressed); questions are asked with fetch and the participant's own questions are listed
// with their state; changes that matter are announced (throttled) to screen readers.
//
// DOM hooks: #main[data-topic][data-sitting-id][data-max-length], #live-status, #viewer-count, #live-announcer,
// #sitting-state, #on-screen (#on-screen-body), ol#question-list > li[data-question-id] (.vote-form, .vote-button,
// data.question__votes), #questions-empty, #vote-result, form#ask-form (#ask-text, #ask-name, #ask-region,
// #ask-text-count), #ask-result, #ask-closed, #my-questions (#my-question-list > li[data-question-id],
// .withdraw-button). main[data-can-take-part="false"]: the page could not give this visitor a participant (too many
// new ones from their network, HEARINGS.md §1): no vote buttons, no ask form.

import { Announcer } from './announcer.js';
import { ApiError, apiClient } from './api.js';
import {
  clearMessage, connectionTexts, liveUrl, reconcileList, setFieldError, showConnection, showErrorSummary,
  showMessage, wireErrorSummaryLinks, wireLifecycle,
} from './dom.js';
import {
  applyMineModerated, characterCount, emptySittingState, HearingEvent, isPublished, questionPayload, reduceSitting,
  applySnapshot, sortMine, viewerList,
} from './hearing-state.js';
import { counterText, isPage, sittingStateText } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { LiveSocket } from './live-socket.js';
import { arrange, emptyOrder, nextTick, pendingMoves, reduceOrder } from './question-order.js';
import {
  bannerChildren, bannerView, createMyQuestionItem, createQuestionItem, myQuestionView, questionView, setText,
  updateMyQuestionItem, updateQuestionItem,
} from './sitting-view.js';

export const ASK_FIELDS = Object.freeze(['text', 'name', 'region']);

/**
 * Wires the page. Everything the browser provides can be injected.
 * @returns {{live: LiveSocket, getState: () => object} | null}
 */
export function enhanceSittingPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
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
    list: doc.getElementById('question-list'),
    voteResult: doc.getElementById('vote-result'),
    form: doc.getElementById('ask-form'),
    askResult: doc.getElementById('ask-result'),
    askClosed: doc.getElementById('ask-closed'),
    askNotice: doc.getElementById('ask-moderation-notice'),
    mine: doc.getElementById('my-questions'),
    mineList: doc.getElementById('my-question-list'),
    mineEmpty: doc.getElementById('my-questions-empty'),
    reorder: doc.getElementById('reorder'),
    reorderButton: doc.getElementById('reorder-button'),
    questionsHeading: doc.getElementById('questions-heading'),
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
  const voted = new Set();
  const votingNow = new Set();
  /** The id of the question the "Thank you" panel is about (null when the panel is not shown). */
  let thankedId = null;

  // MARK: rendering

  const isEnded = () => state.sitting.state === 'ended';

  const viewContext = () => ({ t, numbers, voted, votingNow, ended: isEnded() });
  const itemContext = { t, canTakePart, sittingId, csrfToken };

  // The shown order of the list (question-order.js): votes do not move it while the viewer interacts with it.
  let order = emptyOrder();
  let orderTimer = null;
  const now = () => Date.now();

  function renderQuestions() {
    if (!el.list) return;
    const questions = viewerList(state);
    order = reduceOrder(order, { type: 'sorted', ids: questions.map((q) => q.id), now: now() });
    renderOrder(questions);
  }

  function renderOrder(questions = viewerList(state)) {
    const moved = pendingMoves(order);
    if (el.reorder) el.reorder.hidden = moved === 0;
    if (el.reorderButton && moved > 0) setText(el.reorderButton, t.plural('questions_moved', moved, { n: numbers.format(moved) }));
    scheduleCalm();
    reconcileList(el.list, arrange(order, questions), {
      key: (q) => q.id,
      create: (q) => createQuestionItem(doc, q, itemContext),
      update: (li, q) => updateQuestionItem(doc, li, questionView(q, viewContext()), t),
      elementKey: (li) => li.dataset.questionId,
    });
  }

  function scheduleCalm() {
    if (orderTimer !== null) win.clearTimeout?.(orderTimer);
    orderTimer = null;
    const at = nextTick(order);
    if (at === null || typeof win.setTimeout !== 'function') return;
    orderTimer = win.setTimeout(() => {
      orderTimer = null;
      const before = order;
      order = reduceOrder(order, { type: 'tick', now: now() });
      if (order !== before) applied(); else scheduleCalm();
    }, Math.max(0, at - now()) + 50);
  }

  /** The new order is on screen: say so (the list moved without the viewer's doing). */
  function applied({ focus = false } = {}) {
    renderOrder();
    announce(t('questions_reordered'));
    if (focus && el.questionsHeading) {
      el.questionsHeading.setAttribute('tabindex', '-1');
      el.questionsHeading.focus({ preventScroll: true });
    }
  }

  if (el.list) {
    const interact = () => { order = reduceOrder(order, { type: 'interact', now: now() }); scheduleCalm(); };
    for (const type of ['pointerdown', 'keydown', 'focusin', 'touchstart', 'wheel']) el.list.addEventListener(type, interact, { passive: true });
  }
  el.reorderButton?.addEventListener('click', () => {
    order = reduceOrder(order, { type: 'apply' });
    applied({ focus: true });
  });

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

  live.subscribe(topic, {
    onSnapshot(data) {
      const before = state.onScreen?.id ?? null;
      const wasSynced = state.synced;
      state = applySnapshot(state, data);
      renderAll();
      if (wasSynced && state.onScreen && state.onScreen.id !== before) announce(t('announce_on_screen', { text: state.onScreen.text }));
      syncMineFromPublic();
    },
    onEvent(name, data) {
      const before = state.onScreen?.id ?? null;
      state = reduceSitting(state, name, data);
      switch (name) {
        case HearingEvent.ON_SCREEN:
          renderBanner();
          renderQuestions();
          if (state.onScreen && state.onScreen.id !== before) announce(t('announce_on_screen', { text: state.onScreen.text }));
          break;
        case HearingEvent.QUESTION:
        case HearingEvent.VOTES:
          renderQuestions();
          if (name === HearingEvent.QUESTION) { renderBanner(); syncMineFromPublic(); }
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
      if (change.state === 'approved') announce(t('announce_mine_approved'));
      else if (change.state === 'rejected') announce(change.reason?.text ? t('announce_mine_rejected_reason', { reason: change.reason.text }) : t('announce_mine_rejected'));
      else if (change.state === 'merged') announce(t('announce_mine_merged'));
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
  function syncMineFromPublic() {
    let changed = false;
    mine = mine.map((q) => {
      const published = state.questions.get(q.id);
      if (!published || (published.state === q.state && published.text === q.text)) return q;
      changed = true;
      return { ...q, state: published.state, text: published.text };
    });
    if (changed) renderMine();
  }

  async function loadMine() {
    if (!fetchImpl) return;
    try {
      const body = await api(`/api/v1/sittings/${encodeURIComponent(sittingId)}/questions?mine=1`);
      const list = Array.isArray(body?.questions) ? body.questions : [];
      mine = list.filter((q) => q && Number.isSafeInteger(q.id) && q.mine !== false);
      for (const q of list) if (q.voted) voted.add(q.id);
      renderMine();
    } catch { /* the list stays as it is; the next moderation event tries again */ }
  }

  async function loadVoted() {
    if (!fetchImpl) return;
    try {
      const body = await api(`/api/v1/sittings/${encodeURIComponent(sittingId)}/questions`);
      for (const q of Array.isArray(body?.questions) ? body.questions : []) {
        if (q?.voted === true) voted.add(q.id);
        else if (q?.voted === false) voted.delete(q.id);
      }
      refreshVoteButtons();
    } catch { /* buttons stay unpressed until a vote says otherwise */ }
  }

  function refreshVoteButtons() {
    if (!el.list) return;
    for (const button of el.list.querySelectorAll('.vote-button')) {
      const id = Number(button.dataset.questionId);
      button.setAttribute('aria-pressed', String(voted.has(id)));
    }
  }

  // MARK: votes

  el.list?.addEventListener('submit', (event) => {
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
      if (body?.voted === true) voted.add(id); else voted.delete(id);
      if (Number.isSafeInteger(body?.votes)) state = reduceSitting(state, HearingEvent.VOTES, { votes: { [id]: body.votes } });
      // A held vote is recorded but not counted yet (too many from one network): say so rather than let the count
      // look like it ignored the click.
      if (body?.held === true) showMessage(doc, el.voteResult, 'info', null, t('vote_held'), { focus: false });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'already_voted') voted.add(id);
      else if (error instanceof ApiError && error.code === 'not_voted') voted.delete(id);
      else showMessage(doc, el.voteResult, 'error', null, errorText(error, 'vote_failed'), { focus: false });
    } finally {
      votingNow.delete(id);
      renderQuestions();
      const current = el.list?.querySelector(`[data-question-id="${id}"] .vote-button`);
      if (current && button && doc.activeElement === doc.body) current.focus({ preventScroll: true });
    }
  }

  function errorText(error, fallbackKey) {
    if (error instanceof ApiError) {
      if (error.status === 0) return t('offline_not_sent');
      if (error.message) return error.message;
    }
    return t(fallbackKey);
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
      mine = mine.map((q) => (q.id === id ? { ...q, state: body?.state ?? 'withdrawn' } : q));
      renderMine();
      announce(t('announce_withdrawn'));
      el.mine?.querySelector('h2')?.setAttribute('tabindex', '-1');
      el.mine?.querySelector('h2')?.focus();
    } catch (error) {
      button.disabled = false;
      announce(errorText(error, 'withdraw_failed'));
      loadMine();
    }
  });

  // MARK: the ask form

  if (el.form && fetchImpl) enhanceAskForm();

  function enhanceAskForm() {
    const form = el.form;
    const textarea = doc.getElementById('ask-text');
    const counter = doc.getElementById('ask-text-count');
    const counterLive = doc.getElementById('ask-text-count-live');
    const submit = doc.getElementById('ask-submit');
    const max = Number.parseInt(main.dataset.maxLength ?? counter?.dataset.max ?? '', 10);
    let liveTimer = null;
    let busy = false;

    function updateCounter({ announceIt }) {
      if (!counter || !textarea) return;
      const { text, over } = counterText(t, characterCount(textarea.value), max);
      counter.hidden = text === '';
      counter.textContent = text;
      counter.classList.toggle('character-count--over', over);
      if (!announceIt || !counterLive) return;
      // Screen readers hear the count once typing pauses, not at every key.
      if (liveTimer !== null) win.clearTimeout(liveTimer);
      liveTimer = win.setTimeout(() => { counterLive.textContent = text; liveTimer = null; }, 1000);
    }
    textarea?.addEventListener('input', () => {
      updateCounter({ announceIt: true });
      // A new question is being written: the thanks for the last one has been read (and announced); fold it away.
      // Focus stays where it is (in the field).
      foldThanks({ force: true });
    });
    updateCounter({ announceIt: false });

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!busy) send();
    });

    async function send() {
      const payload = questionPayload(new FormData(form).entries());
      setBusy(true);
      try {
        const body = await api(`/api/v1/sittings/${encodeURIComponent(sittingId)}/questions`, { method: 'POST', body: payload });
        succeed(body, payload);
      } catch (error) {
        if (error instanceof ApiError && error.status === 0) {
          if (win.navigator && win.navigator.onLine === false) {
            fail({ message: t('offline_not_sent'), fields: {} });
          } else {
            HTMLFormElement.prototype.submit.call(form); // no answer at all: the normal post still works
          }
        } else {
          fail({ message: errorText(error, 'ask_failed'), fields: error instanceof ApiError ? error.fields : {} });
        }
      } finally {
        setBusy(false);
      }
    }

    function setBusy(value) {
      busy = value;
      form.setAttribute('aria-busy', String(value));
      if (submit) submit.disabled = value;
    }

    function clearErrors() {
      doc.getElementById('error-summary')?.remove();
      for (const field of ASK_FIELDS) setFieldError(doc, doc.getElementById(`ask-${field}`), null, { prefix: t('error_prefix') });
    }

    function succeed(body, payload) {
      clearErrors();
      if (textarea) textarea.value = '';
      updateCounter({ announceIt: false });
      const question = body?.question && Number.isSafeInteger(body.question.id)
        ? { ...body.question }
        : { id: body?.id, state: body?.state ?? 'submitted', text: payload.text, submitted_at: new Date().toISOString() };
      if (Number.isSafeInteger(question.id)) {
        mine = [...mine.filter((q) => q.id !== question.id), question];
        renderMine();
      }
      const published = isPublished(question);
      showMessage(doc, el.askResult, 'success', t('ask_sent_title'), published ? t('ask_sent_published') : t('ask_sent_moderated'));
      // Folded when the question leaves the waiting state (see onModerated) or when a new one is being typed.
      thankedId = !published && Number.isSafeInteger(question.id) ? question.id : null;
    }

    function fail({ message, fields }) {
      clearErrors();
      const entries = Object.entries(fields ?? {}).filter(([field]) => ASK_FIELDS.includes(field));
      for (const [field, text] of entries) setFieldError(doc, doc.getElementById(`ask-${field}`), text, { prefix: t('error_prefix') });
      if (entries.length > 0) {
        showErrorSummary(doc, el.askResult, { title: t('error_summary_title'), links: entries.map(([field, text]) => [`ask-${field}`, text]) });
      } else {
        showMessage(doc, el.askResult, 'error', t('ask_failed_title'), message);
      }
    }
  }

  // A summary rendered by the server after a no-JS attempt: take the user to it.
  doc.getElementById('error-summary')?.focus();
  wireErrorSummaryLinks(doc);

  if (el.mine) {
    el.mine.hidden = false;
    loadMine();
  }
  loadVoted();

  return { live, getState: () => state, getMine: () => mine };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'sitting')) {
  enhanceSittingPage();
}
