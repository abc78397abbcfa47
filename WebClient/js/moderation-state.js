// The staff side of a sitting, as the `sitting:{id}:moderation` topic describes it (Protocol/HEARINGS.md §5):
// reducers for its snapshot and events, the moderation queue orders, claims, notes, and the keyboard map of the
// moderation console. Pure: no DOM, no I/O.

import { HearingEvent, byAge, byVotes } from './hearing-state.js';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isQuestion = (q) => isObject(q) && Number.isSafeInteger(q.id);
const isNote = (n) => isObject(n) && Number.isSafeInteger(n.id);

export function emptyModerationState(id = null) {
  return { id, questions: new Map(), notes: new Map(), staff: [], synced: false };
}

export function applyModerationSnapshot(state, data) {
  if (!isObject(data)) return state;
  const questions = new Map();
  for (const q of Array.isArray(data.questions) ? data.questions : []) if (isQuestion(q)) questions.set(q.id, { ...q });
  const notes = new Map();
  for (const n of Array.isArray(data.notes) ? data.notes : []) if (isNote(n)) notes.set(n.id, { ...n });
  const next = { id: data.id ?? state.id, questions, notes, staff: normaliseStaff(data.staff), synced: true };
  return isObject(data.held_votes) ? applyHeldVotes(next, data) : next;
}

/**
 * `held_votes` (conflated, and the snapshot's map): {held_votes: {"id": n}}, every question with held votes (votes
 * from one network beyond the per-question cap). A question not in the map has none.
 */
export function applyHeldVotes(state, data) {
  if (!isObject(data) || !isObject(data.held_votes)) return state;
  let questions = null;
  for (const [id, known] of state.questions) {
    const raw = data.held_votes[String(id)];
    const held = Number.isSafeInteger(raw) && raw > 0 ? raw : 0;
    if ((known.held_votes ?? 0) === held) continue;
    questions ??= new Map(state.questions);
    questions.set(id, { ...known, held_votes: held });
  }
  return questions ? { ...state, questions } : state;
}

/** Questions with held votes, most held first. */
export function questionsWithHeldVotes(state) {
  return [...state.questions.values()].filter((q) => (q.held_votes ?? 0) > 0).sort((a, b) => b.held_votes - a.held_votes || a.id - b.id);
}

function normaliseStaff(list) {
  return (Array.isArray(list) ? list : []).filter((s) => isObject(s) && typeof s.name === 'string').map((s) => ({ ...s }));
}

/** `question`: a StaffQuestion, on any change (every state is kept: the console filters). */
export function applyStaffQuestion(state, question) {
  if (!isQuestion(question)) return state;
  const questions = new Map(state.questions);
  questions.set(question.id, { ...questions.get(question.id), ...question });
  return { ...state, questions };
}

/** `claim`: {question_id, claimed_by: {id,name}|null, until}. */
export function applyClaim(state, data) {
  if (!isObject(data) || !Number.isSafeInteger(data.question_id)) return state;
  const known = state.questions.get(data.question_id);
  if (!known) return state;
  const questions = new Map(state.questions);
  const claimedBy = isObject(data.claimed_by) ? { ...data.claimed_by, until: data.until ?? data.claimed_by.until ?? null } : null;
  questions.set(data.question_id, { ...known, claimed_by: claimedBy });
  return { ...state, questions };
}

/** `note`: a Note, new or read. */
export function applyNote(state, note) {
  if (!isNote(note)) return state;
  const notes = new Map(state.notes);
  notes.set(note.id, { ...notes.get(note.id), ...note });
  return { ...state, notes };
}

/** `presence`: {staff: [{id,name,role}]}. */
export function applyPresence(state, data) {
  if (!isObject(data)) return state;
  return { ...state, staff: normaliseStaff(data.staff) };
}

export function reduceModeration(state, name, data) {
  switch (name) {
    case HearingEvent.QUESTION: return applyStaffQuestion(state, data);
    case HearingEvent.CLAIM: return applyClaim(state, data);
    case HearingEvent.NOTE: return applyNote(state, data);
    case HearingEvent.PRESENCE: return applyPresence(state, data);
    case HearingEvent.HELD_VOTES: return applyHeldVotes(state, data);
    default: return state;
  }
}

/** The public `votes` event ({votes: {"id": n}}) applied to the staff questions. */
export function applyStaffVotes(state, data) {
  if (!isObject(data) || !isObject(data.votes)) return state;
  let questions = null;
  for (const [key, votes] of Object.entries(data.votes)) {
    const id = Number(key);
    const known = state.questions.get(id);
    if (!known || !Number.isSafeInteger(votes) || known.votes === votes) continue;
    questions ??= new Map(state.questions);
    questions.set(id, { ...known, votes });
  }
  return questions ? { ...state, questions } : state;
}

/** Replaces the questions with a fresh list (GET /api/v1/sittings/{id}/questions as staff), e.g. after a 409. */
export function replaceQuestions(state, list) {
  const questions = new Map();
  for (const q of Array.isArray(list) ? list : []) if (isQuestion(q)) questions.set(q.id, { ...q });
  return { ...state, questions };
}

/** Submitted questions, oldest first: the moderation queue. */
export function moderationQueue(state) {
  return [...state.questions.values()].filter((q) => q.state === 'submitted').sort(byAge);
}

/** Approved questions (and the one on screen), most votes first: merge targets, editable. */
export function approvedQuestions(state) {
  return [...state.questions.values()].filter((q) => q.state === 'approved' || q.state === 'on_screen').sort(byVotes);
}

/** Merge targets for `sourceId` whose text, name or tag contains `filter` (case- and accent-insensitive). */
export function mergeTargets(state, sourceId, filter = '') {
  const needle = fold(filter.trim());
  return approvedQuestions(state).filter((q) => q.id !== sourceId && (needle === ''
    || fold(`${q.text ?? ''} ${q.name ?? ''} ${q.tag ?? ''} #${q.id}`).includes(needle)));
}

/** Lower case without diacritics, for filtering. */
export function fold(text) {
  return String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * Who holds a question: 'none', 'mine' or 'other'. A claim whose `until` has passed is 'none'. `me` is
 * {id?, name?}: compared by id when both have one, else by name.
 */
export function claimStatus(question, me, nowMs = Date.now()) {
  const claim = question?.claimed_by;
  if (!isObject(claim)) return 'none';
  const until = typeof claim.until === 'string' ? Date.parse(claim.until) : Number.NaN;
  if (!Number.isNaN(until) && until <= nowMs) return 'none';
  const same = me && (me.id !== undefined && me.id !== null && me.id !== '' && claim.id !== undefined
    ? String(claim.id) === String(me.id)
    : typeof me.name === 'string' && claim.name === me.name);
  return same ? 'mine' : 'other';
}

/** Notes, newest first. */
export function sortedNotes(state) {
  return [...state.notes.values()].sort((a, b) => (Date.parse(b.created_at) || 0) - (Date.parse(a.created_at) || 0) || b.id - a.id);
}

export function unreadCount(state) {
  let n = 0;
  for (const note of state.notes.values()) if (!note.read_at) n += 1;
  return n;
}

// MARK: - the moderation bodies (HEARINGS.md §3, "Moderation bodies")

export const moderationBody = Object.freeze({
  approve: () => ({ action: 'approve' }),
  reject: (reason) => ({ action: 'reject', reason }),
  edit: (text) => ({ action: 'edit', text }),
  merge: (into) => ({ action: 'merge', into }),
  tag: (tag) => ({ action: 'tag', tag: tag === '' || tag === undefined ? null : tag }),
  priority: (priority) => ({ action: 'priority', priority }),
  releaseVotes: () => ({ action: 'release_votes' }),
});

/** A priority from an input's value: an integer from -100 to 100, or null. */
export function parsePriority(value) {
  const text = String(value ?? '').trim();
  if (!/^[-+]?\d+$/.test(text)) return null;
  const n = Number.parseInt(text, 10);
  return n >= -100 && n <= 100 ? n : null;
}

// MARK: - keyboard map

/** The console's keys: key -> action. Shown in the help panel in this order. */
export const MODERATION_KEYS = Object.freeze([
  { keys: ['j', 'ArrowDown'], action: 'next' },
  { keys: ['k', 'ArrowUp'], action: 'previous' },
  { keys: ['Home'], action: 'first' },
  { keys: ['End'], action: 'last' },
  { keys: ['c'], action: 'claim' },
  { keys: ['a'], action: 'approve' },
  { keys: ['r'], action: 'reject' },
  { keys: ['e'], action: 'edit' },
  { keys: ['m'], action: 'merge' },
  { keys: ['t'], action: 'tag' },
  { keys: ['p'], action: 'priority' },
  { keys: ['v'], action: 'release_votes' },
  { keys: ['n'], action: 'note' },
  { keys: ['?'], action: 'help' },
]);

const KEY_ACTIONS = new Map(MODERATION_KEYS.flatMap(({ keys, action }) => keys.map((key) => [key, action])));
/** Navigation keys that also have a meaning inside other widgets: only taken over on a console list. */
const NAVIGATION_ONLY_ON_LIST = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End']);

/**
 * The console action for a key press, or null when the key is not the console's: while typing, in a dialog,
 * with Ctrl/Alt/Meta, or a navigation key outside the lists.
 * @param {{key: string, ctrlKey?: boolean, altKey?: boolean, metaKey?: boolean}} event
 * @param {{typing?: boolean, dialogOpen?: boolean, onList?: boolean}} where
 */
export function resolveModerationKey(event, { typing = false, dialogOpen = false, onList = false } = {}) {
  if (!event || typeof event.key !== 'string') return null;
  if (typing || dialogOpen) return null;
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  const key = event.key.length === 1 && event.key !== '?' ? event.key.toLowerCase() : event.key;
  // Caps lock or Shift give "J": the same key. "?" is Shift+/ on most layouts, so Shift is allowed.
  const action = KEY_ACTIONS.get(key) ?? null;
  if (action && NAVIGATION_ONLY_ON_LIST.has(key) && !onList) return null;
  return action;
}

/**
 * Keys inside a choice dialog (reject reasons, tags): '1'…'9' pick the n-th choice (index n-1, if it exists).
 * @returns {{choose: number} | null}
 */
export function resolveChoiceKey(event, choiceCount) {
  if (!event || event.ctrlKey || event.altKey || event.metaKey) return null;
  if (/^[1-9]$/.test(event.key)) {
    const index = Number(event.key) - 1;
    return index < choiceCount ? { choose: index } : null;
  }
  return null;
}

/** The new selected index after `action` in a list of `length` (from `index`, -1 for none). */
export function moveSelection(index, action, length) {
  if (length <= 0) return -1;
  switch (action) {
    case 'next': return index < 0 ? 0 : Math.min(length - 1, index + 1);
    case 'previous': return index < 0 ? 0 : Math.max(0, index - 1);
    case 'first': return 0;
    case 'last': return length - 1;
    default: return Math.min(Math.max(index, -1), length - 1);
  }
}

/**
 * The selection after the list changed: the same id if it is still there, else the item now at the old index
 * (the next one), else the last; null for an empty list.
 */
export function keepSelection(previousIds, selectedId, nextIds) {
  if (nextIds.length === 0) return null;
  if (selectedId !== null && nextIds.includes(selectedId)) return selectedId;
  const oldIndex = selectedId === null ? -1 : previousIds.indexOf(selectedId);
  if (oldIndex < 0) return nextIds[0];
  return nextIds[Math.min(oldIndex, nextIds.length - 1)];
}

/** Enter (without Shift) or Ctrl/Cmd+Enter saves an inline edit; Escape cancels. */
export function resolveEditKey(event) {
  if (!event) return null;
  if (event.key === 'Escape') return 'cancel';
  if (event.key === 'Enter' && (!event.shiftKey || event.ctrlKey || event.metaKey)) return 'save';
  return null;
}
