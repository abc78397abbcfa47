// Pure: what the chair's console shows and allows, from the sitting's state (hearing-state.js) and the staff topic's
// (moderation-state.js): the controls of each sitting state, why the screen's actions wait, the queue and its
// selection, the moderation backlog, and the console's keyboard map. No DOM: chair-view.js draws it, chair-page.js
// wires it (tests/chair-state.test.mjs).

import { answeredQuestions, chairQueue, elapsedSeconds } from './hearing-state.js';
import { moderationQueue } from './moderation-state.js';

/** The stream time to show: from the stream start to now, or to the end once ended; null before it started. */
export function streamClockSeconds(sitting, nowMs = Date.now()) {
  if (!sitting?.stream_started_at) return null;
  const end = sitting.ended_at ? Date.parse(sitting.ended_at) : Number.NaN;
  return elapsedSeconds(sitting.stream_started_at, Number.isNaN(end) ? nowMs : end);
}

/**
 * Whether questions can go on screen in this sitting state, and if not, the string key that says why (shown next to
 * the disabled buttons and tied to them with aria-describedby).
 * @returns {{enabled: boolean, reasonKey: string | null}}
 */
export function screenAvailability(sittingState) {
  if (sittingState === 'live') return { enabled: true, reasonKey: null };
  if (sittingState === 'ended') return { enabled: false, reasonKey: 'screen_wait_ended' };
  return { enabled: false, reasonKey: 'screen_wait_not_started' };
}

/** Questions waiting for a moderator's decision (the staff topic's submitted ones). */
export function moderationBacklog(staff) {
  return staff?.synced ? moderationQueue(staff).length : null;
}

/**
 * Everything the console draws, from the two states and the queue's order and filter.
 * `selectedId`: the question picked with the keys (kept while it stays in the queue, else the first).
 */
export function chairView(state, staff, { order = 'votes', tag = '', selectedId = null } = {}) {
  const sittingState = state.sitting.state;
  const screen = screenAvailability(sittingState);
  const queue = chairQueue(state, { order, tag });
  const onScreen = state.onScreen ?? null;
  return {
    sittingState,
    startHidden: sittingState !== 'scheduled',
    endHidden: sittingState !== 'live',
    endedNoticeHidden: sittingState !== 'ended',
    screen,
    onScreen,
    answeredDisabled: !onScreen || !screen.enabled,
    clearDisabled: !onScreen,
    queue,
    pullNextDisabled: queue.length === 0 || !screen.enabled,
    putOnScreenDisabled: !screen.enabled,
    selectedId: keepChairSelection(queue, selectedId),
    answered: answeredQuestions(state),
    backlog: moderationBacklog(staff),
  };
}

/** The selection after the queue changed: the same question if it is still there, else the first (or null). */
export function keepChairSelection(queue, selectedId) {
  if (selectedId !== null && queue.some((q) => q.id === selectedId)) return selectedId;
  return queue[0]?.id ?? null;
}

/** Moves the selection through the queue: 'next', 'previous', 'first', 'last' (clamped at the ends). */
export function moveChairSelection(queue, selectedId, move) {
  if (queue.length === 0) return null;
  const i = queue.findIndex((q) => q.id === selectedId);
  const last = queue.length - 1;
  switch (move) {
    case 'first': return queue[0].id;
    case 'last': return queue[last].id;
    case 'next': return queue[i < 0 ? 0 : Math.min(last, i + 1)].id;
    case 'previous': return queue[i < 0 ? 0 : Math.max(0, i - 1)].id;
    default: return selectedId;
  }
}

/** The console's keys, in the help dialog's order: [keys shown, string key of what they do, action]. */
export const CHAIR_KEYS = Object.freeze([
  [['j', '↓'], 'chair_help_next', 'next'],
  [['k', '↑'], 'chair_help_previous', 'previous'],
  [['Home', 'End'], 'chair_help_first_last', 'first/last'],
  [['s', 'Enter'], 'chair_help_put_on_screen', 'put_on_screen'],
  [['n'], 'chair_help_pull_next', 'pull_next'],
  [['a'], 'chair_help_answered', 'answered'],
  [['x'], 'chair_help_clear', 'clear'],
  [['o'], 'chair_help_order', 'toggle_order'],
  [['f'], 'chair_help_filter', 'filter'],
  [['?'], 'chair_help_help', 'help'],
]);

const KEY_ACTIONS = new Map([
  ['j', 'next'], ['ArrowDown', 'next'], ['k', 'previous'], ['ArrowUp', 'previous'], ['Home', 'first'], ['End', 'last'],
  ['s', 'put_on_screen'], ['Enter', 'put_on_screen'], ['n', 'pull_next'], ['a', 'answered'], ['x', 'clear'],
  ['o', 'toggle_order'], ['f', 'filter'], ['?', 'help'],
]);

/**
 * The action of a key press, or null. Keys do nothing while typing in a field, with Ctrl/Alt/Meta, or while a dialog
 * is open; the arrows, Home, End and Enter only act inside the queue (elsewhere they keep their usual meaning: scroll,
 * press the focused button).
 * @param {{key: string, ctrlKey?: boolean, altKey?: boolean, metaKey?: boolean}} event
 * @param {{typing?: boolean, dialogOpen?: boolean, inQueue?: boolean}} where
 */
export function resolveChairKey(event, { typing = false, dialogOpen = false, inQueue = false } = {}) {
  if (typing || dialogOpen || event.ctrlKey || event.altKey || event.metaKey) return null;
  const action = KEY_ACTIONS.get(event.key) ?? null;
  if (action && ['ArrowDown', 'ArrowUp', 'Home', 'End', 'Enter'].includes(event.key) && !inQueue) return null;
  return action;
}

/** The other order of the queue. */
export function otherOrder(order) {
  return order === 'priority' ? 'votes' : 'priority';
}
