// The moderation console's inline edit of a question's text (moderate-page.js starts it with `e`): a labelled
// textarea with its hint inside the item, Enter (or Ctrl/Cmd+Enter) saves, Shift+Enter is a new line, Escape cancels
// (resolveEditKey in moderation-state.js). One edit at a time; it ends when saved, cancelled, or when its question
// leaves the list (`keepOnly`). An empty text is refused (aria-invalid, said); an unchanged one sends nothing.
// Nothing here talks to the server: the new text goes to `onSave(question, text)`.
//
// DOM: form.mod-edit > label, p.hint, textarea#mod-edit-{id}, buttons (save, [data-cancel]) appended to the item;
// the item gets .mod-item--editing.

import { h } from './dom.js';
import { resolveEditKey } from './moderation-state.js';

/**
 * `question(id)`: the current copy of a question (the text may have changed since the edit began); `onSave(q, text)`;
 * `say(text)`: the page's status line; `refocus(list, id)`: gives the focus back to the item (or its list) when the
 * edit ends by the moderator's doing.
 */
export function inlineEdit({ doc, t, question = () => null, onSave = () => {}, say = () => {}, refocus = () => {} }) {
  /** {id, list, form, textarea} of the edit under way */
  let editing = null;

  function end({ refocus: giveFocus }) {
    if (!editing) return;
    const { form, id, list } = editing;
    editing = null;
    form.closest('.mod-item')?.classList.remove('mod-item--editing');
    form.remove();
    if (giveFocus) refocus(list, id);
  }

  /** Edits `q` in its item `li` of the list `list`; with an edit under way, that edit's field takes the focus again. */
  function start(q, li, list) {
    if (editing) { editing.textarea.focus(); return; }
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
    editing = { id: q.id, list, form, textarea };
    textarea.addEventListener('keydown', (event) => {
      const key = resolveEditKey(event);
      if (!key) return;
      event.preventDefault();
      // The console's own keys (j, a, …) must not act on the question while its text is being written.
      event.stopPropagation();
      if (key === 'save') form.requestSubmit(); else end({ refocus: true });
    });
    form.addEventListener('click', (event) => {
      if (event.target?.closest?.('[data-cancel]')) end({ refocus: true });
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = textarea.value.trim();
      const current = question(q.id) ?? q;
      if (text === '') { textarea.setAttribute('aria-invalid', 'true'); say(t('edit_empty')); return; }
      end({ refocus: true });
      if (text !== current.text) onSave(current, text);
    });
    textarea.focus();
    textarea.setSelectionRange?.(textarea.value.length, textarea.value.length);
  }

  return {
    start,
    end,
    /** A list now shows `ids`: an edit of a question no longer among them ends (without taking the focus). */
    keepOnly(list, ids) {
      if (editing && editing.list === list && !ids.includes(editing.id)) end({ refocus: false });
    },
    editing: () => (editing ? { id: editing.id, list: editing.list } : null),
  };
}
