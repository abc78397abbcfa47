// The moderation console's dialogs (moderate-page.js opens them from keys and buttons): reject (a reason), tag,
// priority, merge (a filtered list of approved questions, a combobox with aria-activedescendant), the note to the
// chair, and the keyboard help. Each opens as a modal with the focus on its first control, shows its own errors in its
// `.dialog__error` box, and gives the focus back to what had it (else to the selected question) when it closes. In the
// choice dialogs the first nine choices are numbered: a digit picks one, Enter on a choice sends.
//
// Nothing here talks to the server: a dialog's answer goes to `onModerate(question, body)` (moderation-state.js's
// bodies) or, for the note, to `sendNote(body)` (a promise; its refusal is shown in the dialog).
//
// DOM hooks: dialog.dialog [data-close], #reject-dialog (#reject-form, #reject-dialog-question, #reject-error),
// #tag-dialog (#tag-form, #tag-error), #priority-dialog (#priority-form, #priority-input, #priority-dialog-question,
// #priority-error), #merge-dialog (#merge-form, #merge-filter, #merge-options, #merge-none, #merge-dialog-question,
// #merge-error), #note-dialog (#note-form, #note-text, #note-about, #note-about-group, #note-about-question,
// #note-error), #help-dialog.

import { h } from './dom.js';
import { displayName, votesText } from './hearing-text.js';
import { moderationBody, moveSelection, parsePriority, resolveChoiceKey } from './moderation-state.js';
import { excerpt } from './moderate-actions.js';
import { setText } from './moderate-view.js';

/** Keys of the merge combobox: key -> selection move. */
export const MERGE_KEYS = Object.freeze({ ArrowDown: 'next', ArrowUp: 'previous', PageDown: 'last', PageUp: 'first' });

/**
 * Opening and closing the page's dialogs with the focus handled: `open(dialog, focusElement)` remembers what had the
 * focus (else `fallbackFocus()`), `close(dialog)` gives it back. `isOpen()`: a dialog is open (the console's keys
 * wait).
 */
export function dialogFocus({ doc, fallbackFocus = () => null }) {
  let opener = null;

  function restore() {
    const target = opener && opener.isConnected ? opener : fallbackFocus();
    opener = null;
    target?.focus({ preventScroll: true });
  }

  function open(dialog, focusElement) {
    if (!dialog || dialog.open) return;
    opener = doc.activeElement && doc.activeElement !== doc.body ? doc.activeElement : fallbackFocus();
    for (const error of dialog.querySelectorAll('.dialog__error')) error.replaceChildren();
    if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
    (focusElement ?? dialog.querySelector('[data-close]'))?.focus();
  }

  function close(dialog) {
    if (!dialog?.open) return;
    if (typeof dialog.close === 'function') dialog.close(); else { dialog.removeAttribute('open'); restore(); }
  }

  for (const dialog of doc.querySelectorAll('dialog.dialog')) {
    dialog.addEventListener('close', restore);
    dialog.addEventListener('click', (event) => {
      if (event.target?.closest?.('[data-close]')) close(dialog);
    });
  }

  return { open, close, isOpen: () => Boolean(doc.querySelector('dialog[open]')) };
}

/** Numbers the first nine choices of a dialog's radio list; digits pick them; Enter on a choice submits the form. */
export function wireChoiceDialog(dialog, form) {
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
    if (event.key === 'Enter' && event.target?.matches?.('input[type="radio"]')) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

/**
 * Wires the dialogs. `question(id)`: the current copy of a question; `targets(sourceId, filter)`: the approved
 * questions a question can be merged into (moderation-state.js's mergeTargets); `selected()`: the selected question
 * or null (the note may be about it); `onModerate(q, body)`; `sendNote(body)`: a promise; `errorText(error)`: a
 * refusal in words; `showAlert(text)`: the page's alert (a question that cannot be rejected); `fallbackFocus()`.
 * Returns the openers: `reject(q)`, `tag(q)`, `priority(q)`, `merge(q)`, `note()`, `help()`, and `isOpen()`.
 */
export function wireModerationDialogs({
  doc, t, numbers, question = () => null, targets = () => [], selected = () => null,
  onModerate = () => {}, sendNote = async () => {}, errorText = () => t('action_failed'), showAlert = () => {},
  fallbackFocus = () => null,
}) {
  const $ = (id) => doc.getElementById(id);
  const focus = dialogFocus({ doc, fallbackFocus });
  const showError = (id, text) => $(id)?.replaceChildren(h(doc, 'p', { className: 'error-message', text }));

  // Reject
  const rejectDialog = $('reject-dialog');
  const rejectForm = $('reject-form');
  let rejectTarget = null;
  wireChoiceDialog(rejectDialog, rejectForm);
  function reject(q) {
    if (q.state !== 'submitted') { showAlert(t('reject_only_submitted')); return; }
    if (!rejectForm) return;
    rejectTarget = q;
    setText($('reject-dialog-question'), excerpt(q.text, 200));
    for (const input of rejectForm.querySelectorAll('input[type="radio"]')) input.checked = false;
    focus.open(rejectDialog, rejectForm.querySelector('input[type="radio"]'));
  }
  rejectForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    const reason = rejectForm.querySelector('input[name="reason"]:checked')?.value;
    if (!reason) { showError('reject-error', t('reject_choose_reason')); return; }
    const q = rejectTarget;
    focus.close(rejectDialog);
    if (q) onModerate(q, moderationBody.reject(reason));
  });

  // Tag
  const tagDialog = $('tag-dialog');
  const tagForm = $('tag-form');
  let tagTarget = null;
  wireChoiceDialog(tagDialog, tagForm);
  function tag(q) {
    if (!tagForm) return;
    tagTarget = q;
    const inputs = [...tagForm.querySelectorAll('input[name="tag"]')];
    const current = inputs.find((input) => input.value === (q.tag ?? '')) ?? inputs[0];
    for (const input of inputs) input.checked = input === current;
    focus.open(tagDialog, current);
  }
  tagForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    const checked = tagForm.querySelector('input[name="tag"]:checked');
    if (!checked) { showError('tag-error', t('tag_choose')); return; }
    const q = tagTarget;
    focus.close(tagDialog);
    if (q && (q.tag ?? '') !== checked.value) onModerate(q, moderationBody.tag(checked.value));
  });

  // Priority
  const priorityDialog = $('priority-dialog');
  const priorityForm = $('priority-form');
  const priorityInput = $('priority-input');
  let priorityTarget = null;
  function priority(q) {
    if (!priorityInput) return;
    priorityTarget = q;
    setText($('priority-dialog-question'), excerpt(q.text, 200));
    priorityInput.value = String(Number.isSafeInteger(q.priority) ? q.priority : 0);
    focus.open(priorityDialog, priorityInput);
    priorityInput.select?.();
  }
  priorityForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = parsePriority(priorityInput.value);
    if (value === null) {
      priorityInput.setAttribute('aria-invalid', 'true');
      showError('priority-error', t('priority_invalid'));
      priorityInput.focus();
      return;
    }
    priorityInput.removeAttribute('aria-invalid');
    const q = priorityTarget;
    focus.close(priorityDialog);
    if (q && q.priority !== value) onModerate(q, moderationBody.priority(value));
  });

  // Merge
  const mergeDialog = $('merge-dialog');
  const mergeForm = $('merge-form');
  const mergeFilter = $('merge-filter');
  const mergeOptions = $('merge-options');
  let mergeSource = null;
  let mergeActive = null;
  function renderMergeOptions() {
    const found = mergeSource ? targets(mergeSource.id, mergeFilter.value) : [];
    if (!found.some((q) => q.id === mergeActive)) mergeActive = found[0]?.id ?? null;
    mergeOptions.replaceChildren(...found.map((q) => h(doc, 'li', {
      className: `option${q.id === mergeActive ? ' option--active' : ''}`,
      attrs: { id: `merge-opt-${q.id}`, role: 'option', 'aria-selected': String(q.id === mergeActive) },
      dataset: { questionId: q.id },
    }, h(doc, 'span', { className: 'option__text', text: q.text }),
    h(doc, 'span', { className: 'option__meta', text: `${displayName(t, q)} · ${votesText(t, numbers, q.votes)}` }))));
    const none = $('merge-none');
    if (none) none.hidden = found.length > 0;
    if (mergeActive !== null) {
      mergeFilter.setAttribute('aria-activedescendant', `merge-opt-${mergeActive}`);
      $(`merge-opt-${mergeActive}`)?.scrollIntoView?.({ block: 'nearest' });
    } else {
      mergeFilter.removeAttribute('aria-activedescendant');
    }
  }
  function merge(q) {
    if (!mergeFilter || !mergeOptions) return;
    mergeSource = q;
    mergeActive = null;
    mergeFilter.value = '';
    setText($('merge-dialog-question'), excerpt(q.text, 200));
    renderMergeOptions();
    focus.open(mergeDialog, mergeFilter);
  }
  mergeFilter?.addEventListener('input', renderMergeOptions);
  mergeFilter?.addEventListener('keydown', (event) => {
    const ids = [...mergeOptions.children].map((li) => Number(li.dataset.questionId));
    const action = MERGE_KEYS[event.key];
    if (!action || ids.length === 0) return;
    event.preventDefault();
    mergeActive = ids[moveSelection(ids.indexOf(mergeActive), action, ids.length)];
    renderMergeOptions();
  });
  mergeOptions?.addEventListener('click', (event) => {
    const li = event.target?.closest?.('[data-question-id]');
    if (!li) return;
    mergeActive = Number(li.dataset.questionId);
    renderMergeOptions();
    mergeFilter.focus();
  });
  mergeForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    if (mergeActive === null) { showError('merge-error', t('merge_choose')); return; }
    const q = mergeSource;
    const into = mergeActive;
    focus.close(mergeDialog);
    if (q) onModerate(question(q.id) ?? q, moderationBody.merge(into));
  });

  // Note to the chair
  const noteDialog = $('note-dialog');
  const noteForm = $('note-form');
  const noteText = $('note-text');
  const noteAbout = $('note-about');
  let noteQuestion = null;
  function note() {
    if (!noteText) return;
    noteQuestion = selected();
    const group = $('note-about-group');
    if (group) group.hidden = !noteQuestion;
    if (noteAbout) noteAbout.checked = Boolean(noteQuestion);
    setText($('note-about-question'), noteQuestion ? `“${excerpt(noteQuestion.text, 60)}”` : '');
    focus.open(noteDialog, noteText);
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
    if (text === '') { showError('note-error', t('note_empty')); noteText.focus(); return; }
    const body = { text };
    if (noteQuestion && noteAbout?.checked) body.question = noteQuestion.id;
    const submit = noteForm.querySelector('[type="submit"]');
    if (submit) submit.disabled = true;
    try {
      await sendNote(body);
      noteText.value = '';
      focus.close(noteDialog);
    } catch (error) {
      showError('note-error', errorText(error));
    } finally {
      if (submit) submit.disabled = false;
    }
  });

  return { reject, tag, priority, merge, note, help: () => focus.open($('help-dialog')), isOpen: focus.isOpen };
}
