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
// This module wires (keys, dialogs, the API, the live topics): the state is moderation-state.js (pure) and the page is
// drawn by moderate-view.js.

import { Announcer } from './announcer.js';
import { ApiError, apiClient } from './api.js';
import { connectionTexts, h, isTypingTarget, liveUrl, reconcileList, showConnection, wireLifecycle } from './dom.js';
import { HearingEvent } from './hearing-state.js';
import { displayName, isPage, votesText } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { startPresence } from './presence.js';
import { LiveSocket } from './live-socket.js';
import {
  applyModerationSnapshot, applyPresence, applyStaffQuestion, applyClaim, applyStaffVotes, approvedQuestions,
  claimStatus, emptyModerationState, keepSelection, mergeTargets, moderationBody, moderationQueue, moveSelection,
  parsePriority, reduceModeration, replaceQuestions, resolveChoiceKey, resolveEditKey, resolveModerationKey,
} from './moderation-state.js';
import {
  applyRoving as roving, clearAlert as clearAlertIn, createModerationItem, moderateElements, renderActions, renderPresence as drawPresence,
  renderSittingState, renderViewers, setText, showAlert as showAlertIn, updateModerationItem,
} from './moderate-view.js';

const CLAIM_REFRESH_MS = 5_000;

/** i18n keys of the confirmations, by moderation action. */
export const DONE_KEYS = Object.freeze({
  approve: 'done_approve',
  reject: 'done_reject',
  edit: 'done_edit',
  merge: 'done_merge',
  tag: 'done_tag',
  priority: 'done_priority',
  release_votes: 'done_release_votes',
});

/** A short excerpt of a question for dialogs and confirmations. */
export function excerpt(text, max = 80) {
  const value = String(text ?? '').replace(/\s+/g, ' ').trim();
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}

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
  const $ = (id) => doc.getElementById(id);
  const el = moderateElements(doc);

  const liveAnnouncer = $('live-announcer') ? new Announcer($('live-announcer')) : null;
  const actionAnnouncer = el.actionStatus ? new Announcer(el.actionStatus, { intervalMs: 1500 }) : null;
  const say = (text) => actionAnnouncer?.announce(text);

  let mod = emptyModerationState(Number(sittingId));
  const lists = {
    queue: { el: $('queue-list'), empty: $('queue-empty'), count: $('queue-count'), ids: [], selected: null, items: () => moderationQueue(mod) },
    approved: { el: $('approved-list'), empty: $('approved-empty'), count: $('approved-count'), ids: [], selected: null, items: () => approvedQuestions(mod) },
  };
  let activeList = 'queue';
  /** {id, form, textarea} of the inline edit in progress */
  let editing = null;
  const pending = new Set();
  let opener = null;

  // MARK: rendering

  function render() {
    for (const name of Object.keys(lists)) renderList(name);
    main.dataset.activeList = activeList;
    updateButtons();
  }

  function renderList(name) {
    const list = lists[name];
    if (!list.el) return;
    const items = list.items();
    const ids = items.map((q) => q.id);
    const hadFocus = list.el.contains(doc.activeElement);
    list.selected = keepSelection(list.ids, list.selected, ids);
    list.ids = ids;
    if (editing && name === editing.list && !ids.includes(editing.id)) endEdit({ refocus: false });
    reconcileList(list.el, items, {
      key: (q) => q.id,
      elementKey: (li) => li.dataset.questionId,
      create: createItem,
      update: updateItem,
    });
    applyRoving(name);
    if (list.empty) list.empty.hidden = items.length > 0;
    if (list.count) list.count.textContent = numbers.format(items.length);
    if (hadFocus && !list.el.contains(doc.activeElement) && !dialogOpen()) focusSelected(name);
  }

  const createItem = (q) => createModerationItem(doc, t, q);
  const updateItem = (li, q) => updateModerationItem(li, q, { t, numbers, me, now: now(), busy: pending.has(q.id) });

  function applyRoving(name) {
    const list = lists[name];
    roving(list.el, { selected: list.selected, ids: list.ids, active: name === activeList });
  }

  function itemElement(name, id) {
    return id === null || id === undefined ? null : lists[name].el?.querySelector(`[data-question-id="${id}"]`) ?? null;
  }

  function focusSelected(name = activeList) {
    const li = itemElement(name, lists[name].selected);
    if (li) {
      li.focus({ preventScroll: true });
      li.scrollIntoView?.({ block: 'nearest' });
    }
  }

  function select(name, id, { focus = true } = {}) {
    activeList = name;
    lists[name].selected = id;
    main.dataset.activeList = name;
    applyRoving('queue');
    applyRoving('approved');
    if (focus) focusSelected(name);
    updateButtons();
  }

  function move(action) {
    let name = activeList;
    if (lists[name].ids.length === 0) {
      const other = name === 'queue' ? 'approved' : 'queue';
      if (lists[other].ids.length === 0) return;
      name = other;
    }
    const list = lists[name];
    const index = moveSelection(list.ids.indexOf(list.selected), action, list.ids.length);
    if (index >= 0) select(name, list.ids[index]);
  }

  function selectedQuestion() {
    const id = lists[activeList].selected;
    return id === null ? null : mod.questions.get(id) ?? null;
  }

  function updateButtons() {
    const q = selectedQuestion();
    renderActions(el.actions, q, { t, me, now: now(), busy: q !== null && pending.has(q.id) });
  }

  const renderPresence = () => drawPresence(el, doc, mod.staff);
  const showAlert = (text) => showAlertIn(el, doc, text);
  const clearAlert = () => clearAlertIn(el);

  // MARK: actions

  async function request(path, method, body) {
    return api(path, { method, body });
  }

  function errorMessage(error) {
    if (error instanceof ApiError) {
      if (error.status === 0) return t('network_failed');
      if (error.message) return error.message;
    }
    return t('action_failed');
  }

  async function refreshQuestions() {
    try {
      const body = await request(`/api/v1/sittings/${encodeURIComponent(sittingId)}/questions`, 'GET');
      if (Array.isArray(body?.questions)) { mod = replaceQuestions(mod, body.questions); render(); }
    } catch { /* the topic's events will bring the truth */ }
  }

  function failed(error) {
    showAlert(errorMessage(error));
    if (error instanceof ApiError && [404, 409].includes(error.status)) refreshQuestions();
  }

  async function moderate(q, body) {
    clearAlert();
    pending.add(q.id);
    render();
    try {
      const answer = await request(`/api/v1/questions/${q.id}/moderation`, 'POST', body);
      if (answer?.question) mod = applyStaffQuestion(mod, answer.question);
      say(t(DONE_KEYS[body.action] ?? 'done_generic', { text: excerpt(q.text, 60) }));
      return true;
    } catch (error) {
      failed(error);
      return false;
    } finally {
      pending.delete(q.id);
      render();
    }
  }

  async function toggleClaim(q) {
    clearAlert();
    const release = claimStatus(q, me, now()) === 'mine';
    pending.add(q.id);
    render();
    try {
      const answer = await request(`/api/v1/questions/${q.id}/claim`, release ? 'DELETE' : 'POST', {});
      if (release) mod = applyClaim(mod, { question_id: q.id, claimed_by: null, until: null });
      else if (answer && typeof answer === 'object') mod = applyClaim(mod, { question_id: q.id, claimed_by: answer.claimed_by, until: answer.until });
      say(release ? t('done_release') : t('done_claim'));
    } catch (error) {
      failed(error);
    } finally {
      pending.delete(q.id);
      render();
    }
  }

  function run(action) {
    switch (action) {
      case 'next': case 'previous': case 'first': case 'last': move(action); return;
      case 'help': openDialog($('help-dialog')); return;
      case 'note': openNote(); return;
      default: break;
    }
    const q = selectedQuestion();
    if (!q) { say(t('select_first')); return; }
    if (pending.has(q.id)) return;
    switch (action) {
      case 'claim': toggleClaim(q); break;
      case 'approve':
        if (q.state === 'submitted') moderate(q, moderationBody.approve());
        else showAlert(t('approve_only_submitted'));
        break;
      case 'reject': openReject(q); break;
      case 'edit': startEdit(q); break;
      case 'merge': openMerge(q); break;
      case 'tag': openTag(q); break;
      case 'priority': openPriority(q); break;
      case 'release_votes':
        if ((q.held_votes ?? 0) > 0) moderate(q, moderationBody.releaseVotes());
        break;
      default: break;
    }
  }

  // MARK: keyboard and pointer

  const dialogOpen = () => Boolean(doc.querySelector('dialog[open]'));

  doc.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const target = event.target instanceof Element ? event.target : null;
    const action = resolveModerationKey(event, {
      typing: isTypingTarget(target),
      dialogOpen: dialogOpen(),
      onList: Boolean(target?.closest('.mod-list')),
    });
    if (!action) return;
    event.preventDefault();
    run(action);
  });

  for (const [name, list] of Object.entries(lists)) {
    list.el?.addEventListener('focusin', (event) => {
      const li = event.target instanceof Element ? event.target.closest('.mod-item') : null;
      if (!li) return;
      const id = Number(li.dataset.questionId);
      if (activeList !== name || list.selected !== id) select(name, id, { focus: false });
    });
    list.el?.addEventListener('click', (event) => {
      const li = event.target instanceof Element ? event.target.closest('.mod-item') : null;
      if (!li || event.target.closest('.mod-edit')) return;
      select(name, Number(li.dataset.questionId));
    });
  }

  el.actions?.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (button && !button.disabled) run(button.dataset.action);
  });

  // MARK: dialogs

  function openDialog(dialog, focusElement) {
    if (!dialog || dialog.open) return;
    opener = doc.activeElement && doc.activeElement !== doc.body ? doc.activeElement : itemElement(activeList, lists[activeList].selected);
    for (const error of dialog.querySelectorAll('.dialog__error')) error.replaceChildren();
    if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
    (focusElement ?? dialog.querySelector('[data-close]'))?.focus();
  }

  function closeDialog(dialog) {
    if (!dialog?.open) return;
    if (typeof dialog.close === 'function') dialog.close(); else { dialog.removeAttribute('open'); restoreFocus(); }
  }

  function restoreFocus() {
    const target = opener && opener.isConnected ? opener : itemElement(activeList, lists[activeList].selected);
    opener = null;
    (target ?? lists[activeList].el)?.focus({ preventScroll: true });
  }

  for (const dialog of doc.querySelectorAll('dialog.dialog')) {
    dialog.addEventListener('close', restoreFocus);
    dialog.addEventListener('click', (event) => {
      if (event.target instanceof Element && event.target.closest('[data-close]')) closeDialog(dialog);
    });
  }

  function dialogError(id, text) {
    const box = $(id);
    if (box) box.replaceChildren(h(doc, 'p', { className: 'error-message', text }));
  }

  /** Numbers the first nine choices of a list; digits pick them; Enter on a choice submits. */
  function wireChoiceDialog(dialog, form) {
    if (!dialog || !form) return;
    const inputs = () => [...form.querySelectorAll('input[type="radio"]')];
    inputs().forEach((input, index) => {
      const key = input.closest('.choice')?.querySelector('.choice__key');
      if (key) key.textContent = index < 9 ? String(index + 1) : '';
    });
    dialog.addEventListener('keydown', (event) => {
      const choice = resolveChoiceKey(event, inputs().length);
      if (choice) {
        event.preventDefault();
        const input = inputs()[choice.choose];
        input.checked = true;
        input.focus();
        return;
      }
      if (event.key === 'Enter' && event.target instanceof Element && event.target.matches('input[type="radio"]')) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  // Reject
  const rejectDialog = $('reject-dialog');
  const rejectForm = $('reject-form');
  let rejectTarget = null;
  wireChoiceDialog(rejectDialog, rejectForm);
  function openReject(q) {
    if (q.state !== 'submitted') { showAlert(t('reject_only_submitted')); return; }
    rejectTarget = q;
    setText($('reject-dialog-question'), excerpt(q.text, 200));
    for (const input of rejectForm.querySelectorAll('input[type="radio"]')) input.checked = false;
    openDialog(rejectDialog, rejectForm.querySelector('input[type="radio"]'));
  }
  rejectForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    const reason = rejectForm.querySelector('input[name="reason"]:checked')?.value;
    if (!reason) { dialogError('reject-error', t('reject_choose_reason')); return; }
    const q = rejectTarget;
    closeDialog(rejectDialog);
    if (q) moderate(q, moderationBody.reject(reason));
  });

  // Tag
  const tagDialog = $('tag-dialog');
  const tagForm = $('tag-form');
  let tagTarget = null;
  wireChoiceDialog(tagDialog, tagForm);
  function openTag(q) {
    tagTarget = q;
    const inputs = [...tagForm.querySelectorAll('input[name="tag"]')];
    const current = inputs.find((input) => input.value === (q.tag ?? '')) ?? inputs[0];
    for (const input of inputs) input.checked = input === current;
    openDialog(tagDialog, current);
  }
  tagForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    const checked = tagForm.querySelector('input[name="tag"]:checked');
    if (!checked) { dialogError('tag-error', t('tag_choose')); return; }
    const q = tagTarget;
    closeDialog(tagDialog);
    if (q && (q.tag ?? '') !== checked.value) moderate(q, moderationBody.tag(checked.value));
  });

  // Priority
  const priorityDialog = $('priority-dialog');
  const priorityForm = $('priority-form');
  const priorityInput = $('priority-input');
  let priorityTarget = null;
  function openPriority(q) {
    priorityTarget = q;
    setText($('priority-dialog-question'), excerpt(q.text, 200));
    priorityInput.value = String(Number.isSafeInteger(q.priority) ? q.priority : 0);
    openDialog(priorityDialog, priorityInput);
    priorityInput.select?.();
  }
  priorityForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    const priority = parsePriority(priorityInput.value);
    if (priority === null) {
      priorityInput.setAttribute('aria-invalid', 'true');
      dialogError('priority-error', t('priority_invalid'));
      priorityInput.focus();
      return;
    }
    priorityInput.removeAttribute('aria-invalid');
    const q = priorityTarget;
    closeDialog(priorityDialog);
    if (q && q.priority !== priority) moderate(q, moderationBody.priority(priority));
  });

  // Merge
  const mergeDialog = $('merge-dialog');
  const mergeForm = $('merge-form');
  const mergeFilter = $('merge-filter');
  const mergeOptions = $('merge-options');
  let mergeSource = null;
  let mergeActive = null;
  function renderMergeOptions() {
    const targets = mergeSource ? mergeTargets(mod, mergeSource.id, mergeFilter.value) : [];
    if (!targets.some((q) => q.id === mergeActive)) mergeActive = targets[0]?.id ?? null;
    mergeOptions.replaceChildren(...targets.map((q) => h(doc, 'li', {
      className: `option${q.id === mergeActive ? ' option--active' : ''}`,
      attrs: { id: `merge-opt-${q.id}`, role: 'option', 'aria-selected': String(q.id === mergeActive) },
      dataset: { questionId: q.id },
    }, h(doc, 'span', { className: 'option__text', text: q.text }),
    h(doc, 'span', { className: 'option__meta', text: `${displayName(t, q)} · ${votesText(t, numbers, q.votes)}` }))));
    $('merge-none').hidden = targets.length > 0;
    if (mergeActive !== null) {
      mergeFilter.setAttribute('aria-activedescendant', `merge-opt-${mergeActive}`);
      $(`merge-opt-${mergeActive}`)?.scrollIntoView?.({ block: 'nearest' });
    } else {
      mergeFilter.removeAttribute('aria-activedescendant');
    }
  }
  function openMerge(q) {
    mergeSource = q;
    mergeActive = null;
    mergeFilter.value = '';
    setText($('merge-dialog-question'), excerpt(q.text, 200));
    renderMergeOptions();
    openDialog(mergeDialog, mergeFilter);
  }
  mergeFilter?.addEventListener('input', renderMergeOptions);
  mergeFilter?.addEventListener('keydown', (event) => {
    const ids = [...mergeOptions.children].map((li) => Number(li.dataset.questionId));
    const action = { ArrowDown: 'next', ArrowUp: 'previous', PageDown: 'last', PageUp: 'first' }[event.key];
    if (!action || ids.length === 0) return;
    event.preventDefault();
    mergeActive = ids[moveSelection(ids.indexOf(mergeActive), action, ids.length)];
    renderMergeOptions();
  });
  mergeOptions?.addEventListener('click', (event) => {
    const li = event.target instanceof Element ? event.target.closest('[data-question-id]') : null;
    if (!li) return;
    mergeActive = Number(li.dataset.questionId);
    renderMergeOptions();
    mergeFilter.focus();
  });
  mergeForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    if (mergeActive === null) { dialogError('merge-error', t('merge_choose')); return; }
    const q = mergeSource;
    const into = mergeActive;
    closeDialog(mergeDialog);
    if (q) moderate(q, moderationBody.merge(into));
  });

  // Note to the chair
  const noteDialog = $('note-dialog');
  const noteForm = $('note-form');
  const noteText = $('note-text');
  const noteAbout = $('note-about');
  let noteQuestion = null;
  function openNote() {
    noteQuestion = selectedQuestion();
    $('note-about-group').hidden = !noteQuestion;
    noteAbout.checked = Boolean(noteQuestion);
    setText($('note-about-question'), noteQuestion ? `“${excerpt(noteQuestion.text, 60)}”` : '');
    openDialog(noteDialog, noteText);
  }
  noteText?.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      noteForm.requestSubmit();
    }
  });
  noteForm?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = noteText.value.trim();
    if (text === '') { dialogError('note-error', t('note_empty')); noteText.focus(); return; }
    const body = { text };
    if (noteQuestion && noteAbout.checked) body.question = noteQuestion.id;
    const submit = noteForm.querySelector('[type="submit"]');
    submit.disabled = true;
    try {
      await request(`/api/v1/sittings/${encodeURIComponent(sittingId)}/notes`, 'POST', body);
      noteText.value = '';
      closeDialog(noteDialog);
      say(t('done_note'));
    } catch (error) {
      dialogError('note-error', errorMessage(error));
    } finally {
      submit.disabled = false;
    }
  });

  // MARK: inline edit

  function startEdit(q) {
    if (editing) { editing.textarea.focus(); return; }
    const li = itemElement(activeList, q.id);
    if (!li) return;
    const inputId = `mod-edit-${q.id}`;
    const hintId = `${inputId}-hint`;
    const textarea = h(doc, 'textarea', { className: 'textarea', attrs: { id: inputId, rows: '3', 'aria-describedby': hintId } });
    textarea.value = q.text ?? '';
    const form = h(doc, 'form', { className: 'mod-edit', attrs: { novalidate: true } },
      h(doc, 'label', { className: 'label', attrs: { for: inputId }, text: t('edit_label') }),
      h(doc, 'p', { className: 'hint', attrs: { id: hintId }, text: t('edit_hint') }),
      textarea,
      h(doc, 'div', { className: 'mod-edit__buttons' },
        h(doc, 'button', { className: 'button button--small', attrs: { type: 'submit' }, text: t('save') }),
        h(doc, 'button', { className: 'button button--small button--secondary', attrs: { type: 'button' }, dataset: { cancel: '' }, text: t('cancel') })));
    li.append(form);
    li.classList.add('mod-item--editing');
    editing = { id: q.id, list: activeList, form, textarea, question: q };
    textarea.addEventListener('keydown', (event) => {
      const key = resolveEditKey(event);
      if (!key) return;
      event.preventDefault();
      event.stopPropagation();
      if (key === 'save') form.requestSubmit(); else endEdit({ refocus: true });
    });
    form.addEventListener('click', (event) => {
      if (event.target instanceof Element && event.target.closest('[data-cancel]')) endEdit({ refocus: true });
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = textarea.value.trim();
      const current = mod.questions.get(q.id) ?? q;
      if (text === '') { textarea.setAttribute('aria-invalid', 'true'); say(t('edit_empty')); return; }
      endEdit({ refocus: true });
      if (text !== current.text) moderate(current, moderationBody.edit(text));
    });
    textarea.focus();
    textarea.setSelectionRange?.(textarea.value.length, textarea.value.length);
  }

  function endEdit({ refocus }) {
    if (!editing) return;
    const { form, id, list } = editing;
    editing = null;
    form.closest('.mod-item')?.classList.remove('mod-item--editing');
    form.remove();
    if (refocus) {
      const li = itemElement(list, id);
      if (li) li.focus({ preventScroll: true }); else focusSelected(list);
    }
  }

  // MARK: live

  const texts = connectionTexts(t);
  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: (s) => showConnection(el.status, s, texts),
  });
  showConnection(el.status, 'connecting', texts);

  live.subscribe(moderationTopicName, {
    onSnapshot(data) {
      mod = applyModerationSnapshot(mod, data);
      render();
      renderPresence();
    },
    onEvent(name, data) {
      const wasQueued = name === HearingEvent.QUESTION && mod.questions.get(data?.id)?.state === 'submitted';
      mod = reduceModeration(mod, name, data);
      if (name === HearingEvent.PRESENCE) { renderPresence(); return; }
      render();
      if (name === HearingEvent.QUESTION && data?.state === 'submitted' && !wasQueued) {
        const n = lists.queue.ids.length;
        liveAnnouncer?.announce(t.plural('queue_length', n, { n: numbers.format(n) }));
      }
    },
    onError(error) { showAlert(t(error?.code === 'access_revoked' ? 'access_revoked' : 'moderation_forbidden')); },
  });

  live.subscribe(publicTopic, {
    onSnapshot(data) {
      showViewers(data?.viewers);
      showSittingState(data?.state);
    },
    onEvent(name, data) {
      if (name === HearingEvent.VIEWERS) showViewers(data?.viewers);
      else if (name === HearingEvent.SITTING) showSittingState(data?.state);
      else if (name === HearingEvent.VOTES) { mod = applyStaffVotes(mod, data); render(); }
    },
  });
  wireLifecycle(live, { doc, win });

  const showViewers = (n) => renderViewers(el, n, { t, numbers });
  const showSittingState = (state) => renderSittingState(el, state, { t });

  // MARK: presence

  if (fetchImpl) {
    startPresence({
      api,
      sittingId,
      doc,
      win,
      onStaff: (staff) => { mod = applyPresence(mod, { staff }); renderPresence(); },
      onUnauthorized: () => showAlert(t('session_expired')),
    });
  }
  // Claims expire by themselves: show it.
  win.setInterval(() => render(), CLAIM_REFRESH_MS);

  render();
  return { live, getState: () => mod, run };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'moderate')) {
  enhanceModeratePage();
}
