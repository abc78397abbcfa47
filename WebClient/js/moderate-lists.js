// The moderation console's two lists (moderate-page.js wires them): the queue of submitted questions and the approved
// ones, each one tab stop with a roving tabindex. The selected item of each list has tabindex=0 and
// aria-current="true"; the list being worked in is main[data-active-list]. A list redrawn keeps its selection (the
// same question, else the one now in its place) and, if it had the focus, gives it to the selected item (unless a
// dialog is open). A click or focus on an item selects it. Nothing here talks to the server.
//
// DOM hooks: #main, ol#queue-list and ol#approved-list > li.mod-item[data-question-id], #queue-empty,
// #approved-empty, #queue-count, #approved-count.

import { reconcileList } from './dom.js';
import { keepSelection, moveSelection } from './moderation-state.js';
import { applyRoving, createModerationItem, updateModerationItem } from './moderate-view.js';

export const LIST_NAMES = Object.freeze(['queue', 'approved']);

/**
 * Wires the lists. `items: {queue(), approved()}`: each list's questions now (from the moderation state);
 * `isBusy(id)`: an action on it is under way; `dialogOpen()`: focus is not to be taken; `me`, `now()`: for the claims;
 * `onShown(name, ids)`: a list is about to show these questions (an inline edit of a question gone ends);
 * `onChange()`: what is selected or shown changed (the action bar follows). A missing list is skipped.
 */
export function wireModerationLists({
  doc, t, numbers, me, now = () => Date.now(), items, isBusy = () => false, dialogOpen = () => false,
  onShown = () => {}, onChange = () => {},
}) {
  const main = doc.getElementById('main');
  const $ = (id) => doc.getElementById(id);
  const lists = Object.fromEntries(LIST_NAMES.map((name) => [name, {
    el: $(`${name}-list`), empty: $(`${name}-empty`), count: $(`${name}-count`), ids: [], selected: null,
  }]));
  let active = 'queue';

  const itemElement = (name, id) => (id === null || id === undefined ? null : lists[name].el?.querySelector(`[data-question-id="${id}"]`) ?? null);
  const rove = (name) => applyRoving(lists[name].el, { selected: lists[name].selected, ids: lists[name].ids, active: name === active });

  function focusSelected(name = active) {
    const li = itemElement(name, lists[name].selected);
    if (li) {
      li.focus({ preventScroll: true });
      li.scrollIntoView?.({ block: 'nearest' });
    }
  }

  function renderList(name) {
    const list = lists[name];
    if (!list.el) return;
    const shown = items[name]();
    const ids = shown.map((q) => q.id);
    const hadFocus = list.el.contains(doc.activeElement);
    list.selected = keepSelection(list.ids, list.selected, ids);
    list.ids = ids;
    onShown(name, ids);
    reconcileList(list.el, shown, {
      key: (q) => q.id,
      elementKey: (li) => li.dataset.questionId,
      create: (q) => createModerationItem(doc, t, q),
      update: (li, q) => updateModerationItem(li, q, { t, numbers, me, now: now(), busy: isBusy(q.id) }),
    });
    rove(name);
    if (list.empty) list.empty.hidden = shown.length > 0;
    if (list.count) list.count.textContent = numbers.format(shown.length);
    if (hadFocus && !list.el.contains(doc.activeElement) && !dialogOpen()) focusSelected(name);
  }

  function render() {
    for (const name of LIST_NAMES) renderList(name);
    if (main) main.dataset.activeList = active;
    onChange();
  }

  function select(name, id, { focus = true } = {}) {
    active = name;
    lists[name].selected = id;
    if (main) main.dataset.activeList = name;
    for (const other of LIST_NAMES) rove(other);
    if (focus) focusSelected(name);
    onChange();
  }

  /** `next`, `previous`, `first`, `last` in the list being worked in (the other one when it is empty). */
  function move(action) {
    let name = active;
    if (lists[name].ids.length === 0) {
      const other = name === 'queue' ? 'approved' : 'queue';
      if (lists[other].ids.length === 0) return;
      name = other;
    }
    const list = lists[name];
    const index = moveSelection(list.ids.indexOf(list.selected), action, list.ids.length);
    if (index >= 0) select(name, list.ids[index]);
  }

  for (const name of LIST_NAMES) {
    const list = lists[name];
    list.el?.addEventListener('focusin', (event) => {
      const li = event.target?.closest?.('.mod-item');
      if (!li) return;
      const id = Number(li.dataset.questionId);
      if (active !== name || list.selected !== id) select(name, id, { focus: false });
    });
    list.el?.addEventListener('click', (event) => {
      const li = event.target?.closest?.('.mod-item');
      if (!li || event.target.closest('.mod-edit')) return;
      select(name, Number(li.dataset.questionId));
    });
  }

  return {
    render,
    select,
    move,
    focusSelected,
    itemElement,
    /** The list being worked in and its selected question's id (or null). */
    selection: () => ({ list: active, id: lists[active].selected }),
    /** The element to give the focus back to when nothing better is left: the selected item, else its list. */
    fallbackFocus: () => itemElement(active, lists[active].selected) ?? lists[active].el,
    ids: (name) => [...lists[name].ids],
  };
}
