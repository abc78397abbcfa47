// The public state of a sitting, as the `sitting:{id}` topic describes it (Protocol/HEARINGS.md §5), and the pure
// functions the viewer, screen and chair pages share: reducers for the snapshot and each event, sort orders,
// and time formatting. No DOM, no I/O: every function returns a new state and leaves its input untouched.
//
//   let state = emptySittingState(3);
//   state = applySnapshot(state, data);
//   state = reduceSitting(state, 'votes', {votes: {"12": 5}});
//   viewerList(state)      // the list the viewer page shows, most votes first, answered ones last

import { EventName } from './constants.js';

/** States in which a question is public (in the snapshot's `questions`). */
export const PUBLISHED_STATES = Object.freeze(['approved', 'on_screen', 'answered']);
/** Every question state. */
export const QUESTION_STATES = Object.freeze(['submitted', 'approved', 'rejected', 'on_screen', 'answered', 'merged', 'withdrawn']);
export const SITTING_STATES = Object.freeze(['scheduled', 'live', 'ended']);

/** Event names of the hearing topics (the protocol's names, from constants.js). */
export const HearingEvent = EventName;

export const isPublished = (question) => Boolean(question) && PUBLISHED_STATES.includes(question.state);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isQuestion = (q) => isObject(q) && Number.isSafeInteger(q.id);
const toInt = (v, fallback = 0) => (Number.isSafeInteger(v) ? v : fallback);

/** The state before the first snapshot. */
export function emptySittingState(id = null) {
  return {
    sitting: { id, title: '', committee: '', state: 'scheduled', stream_url: '', stream_started_at: null, ended_at: null },
    counts: {},
    viewers: 0,
    peakViewers: 0,
    onScreen: null,
    /** id -> public Question, published ones only */
    questions: new Map(),
    synced: false,
  };
}

/** Replaces everything with a snapshot's data. */
export function applySnapshot(state, data) {
  if (!isObject(data)) return state;
  const questions = new Map();
  for (const q of Array.isArray(data.questions) ? data.questions : []) {
    if (isQuestion(q) && isPublished(q)) questions.set(q.id, { ...q });
  }
  const onScreen = isQuestion(data.on_screen) ? { ...data.on_screen } : null;
  if (onScreen && !questions.has(onScreen.id)) questions.set(onScreen.id, onScreen);
  // The snapshot's `votes` map is authoritative over each question's own `votes` (PROTOCOL.md §6.2).
  if (isObject(data.votes)) {
    for (const [id, votes] of Object.entries(data.votes)) {
      const question = questions.get(Number(id));
      if (question && Number.isSafeInteger(votes)) question.votes = votes;
      if (onScreen && onScreen.id === Number(id) && Number.isSafeInteger(votes)) onScreen.votes = votes;
    }
  }
  return {
    sitting: {
      id: data.id ?? state.sitting.id,
      title: data.title ?? state.sitting.title,
      committee: data.committee ?? state.sitting.committee,
      state: data.state ?? state.sitting.state,
      stream_url: data.stream_url ?? state.sitting.stream_url,
      stream_started_at: data.stream_started_at ?? null,
      ended_at: data.ended_at ?? null,
    },
    counts: isObject(data.counts) ? { ...data.counts } : {},
    viewers: toInt(data.viewers),
    peakViewers: toInt(data.peak_viewers),
    onScreen,
    questions,
    synced: true,
  };
}

/** `question`: a published question appeared or changed; one that is no longer published leaves the list. */
export function applyQuestion(state, question) {
  if (!isQuestion(question)) return state;
  const questions = new Map(state.questions);
  if (isPublished(question)) questions.set(question.id, { ...questions.get(question.id), ...question });
  else questions.delete(question.id);
  let { onScreen } = state;
  if (onScreen && onScreen.id === question.id) onScreen = question.state === 'on_screen' ? { ...onScreen, ...question } : null;
  else if (question.state === 'on_screen') onScreen = { ...question };
  return { ...state, questions, onScreen };
}

/** `votes`: {votes: {"id": n}}, the counts of every published question (conflated). */
export function applyVotes(state, data) {
  if (!isObject(data) || !isObject(data.votes)) return state;
  const questions = new Map(state.questions);
  for (const [key, votes] of Object.entries(data.votes)) {
    const id = Number(key);
    const known = questions.get(id);
    if (known && Number.isSafeInteger(votes) && known.votes !== votes) questions.set(id, { ...known, votes });
  }
  let { onScreen } = state;
  if (onScreen && Number.isSafeInteger(data.votes[String(onScreen.id)])) onScreen = { ...onScreen, votes: data.votes[String(onScreen.id)] };
  return { ...state, questions, onScreen };
}

/** `on_screen`: {question: Question|null}. */
export function applyOnScreen(state, data) {
  const question = isObject(data) && isQuestion(data.question) ? data.question : null;
  const questions = new Map(state.questions);
  if (question) questions.set(question.id, { ...questions.get(question.id), ...question, state: question.state ?? 'on_screen' });
  return { ...state, questions, onScreen: question ? { ...question } : null };
}

/** `moderated`: {question_id, action, state, reason?, merged_into?, at}. A question that is no longer published leaves. */
export function applyModerated(state, data) {
  if (!isObject(data) || !Number.isSafeInteger(data.question_id) || typeof data.state !== 'string') return state;
  const known = state.questions.get(data.question_id);
  if (!known) return state;
  const questions = new Map(state.questions);
  if (PUBLISHED_STATES.includes(data.state)) questions.set(data.question_id, { ...known, state: data.state });
  else questions.delete(data.question_id);
  const onScreen = state.onScreen?.id === data.question_id && data.state !== 'on_screen' ? null : state.onScreen;
  return { ...state, questions, onScreen };
}

/** `sitting`: {state, stream_started_at, ended_at}. */
export function applySittingChange(state, data) {
  if (!isObject(data)) return state;
  const sitting = { ...state.sitting };
  if (typeof data.state === 'string') sitting.state = data.state;
  if ('stream_started_at' in data) sitting.stream_started_at = data.stream_started_at ?? null;
  if ('ended_at' in data) sitting.ended_at = data.ended_at ?? null;
  return { ...state, sitting };
}

/** `viewers`: {viewers, peak_viewers}; the peak never goes down. */
export function applyViewers(state, data) {
  if (!isObject(data)) return state;
  return {
    ...state,
    viewers: toInt(data.viewers, state.viewers),
    peakViewers: Math.max(state.peakViewers, toInt(data.peak_viewers, state.peakViewers)),
  };
}

export function applyCounts(state, data) {
  return isObject(data) ? { ...state, counts: { ...data } } : state;
}

/** Applies one event of `sitting:{id}` by name; unknown names leave the state as it is. */
export function reduceSitting(state, name, data) {
  switch (name) {
    case HearingEvent.QUESTION: return applyQuestion(state, data);
    case HearingEvent.VOTES: return applyVotes(state, data);
    case HearingEvent.ON_SCREEN: return applyOnScreen(state, data);
    case HearingEvent.MODERATED: return applyModerated(state, data);
    case HearingEvent.SITTING: return applySittingChange(state, data);
    case HearingEvent.VIEWERS: return applyViewers(state, data);
    case HearingEvent.COUNTS: return applyCounts(state, data);
    default: return state;
  }
}

// MARK: - orders

const time = (iso) => {
  const at = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at;
};

/** Most votes first; then the earlier question; then the lower id. */
export function byVotes(a, b) {
  return toInt(b.votes) - toInt(a.votes) || time(a.submitted_at) - time(b.submitted_at) || a.id - b.id;
}

/** Highest priority first; then by votes. */
export function byPriority(a, b) {
  return toInt(b.priority) - toInt(a.priority) || byVotes(a, b);
}

/** Oldest first (the moderation queue). */
export function byAge(a, b) {
  return time(a.submitted_at) - time(b.submitted_at) || a.id - b.id;
}

/** The viewer page's list: open questions (approved, on screen) by votes, then answered ones by votes. */
export function sortForViewers(questions) {
  const list = [...questions];
  const open = list.filter((q) => q.state !== 'answered').sort(byVotes);
  const answered = list.filter((q) => q.state === 'answered').sort(byVotes);
  return [...open, ...answered];
}

export function viewerList(state) {
  return sortForViewers(state.questions.values());
}

/** The approved questions waiting for the chair (not on screen, not answered), by votes: the screen's "up next". */
export function topQuestions(state, limit = 5) {
  return [...state.questions.values()].filter((q) => q.state === 'approved').sort(byVotes).slice(0, limit);
}

/**
 * The chair's queue: approved questions, ordered 'votes' or 'priority', optionally only those tagged `tag`
 * ('' or null: all).
 */
export function chairQueue(state, { order = 'votes', tag = '' } = {}) {
  const compare = order === 'priority' ? byPriority : byVotes;
  return [...state.questions.values()]
    .filter((q) => q.state === 'approved' && (!tag || q.tag === tag))
    .sort(compare);
}

/** The question "Pull next" puts on screen, or null. */
export function nextQuestion(state, options) {
  return chairQueue(state, options)[0] ?? null;
}

/** Answered questions in the order they were answered. */
export function answeredQuestions(state) {
  const offset = (q) => (Number.isFinite(q.answered_offset_seconds) ? q.answered_offset_seconds : Number.POSITIVE_INFINITY);
  return [...state.questions.values()].filter((q) => q.state === 'answered')
    .sort((a, b) => offset(a) - offset(b) || time(a.answered_at) - time(b.answered_at) || a.id - b.id);
}

// MARK: - time

/**
 * A stream offset in seconds as the server writes it (record.json `stream_time`, chapters.txt): `m:ss` under an hour
 * (minutes not padded), `h:mm:ss` from one hour; '' for anything that is not a number >= 0.
 */
export function formatOffset(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Whole seconds from `startIso` to `nowMs` (null when there is no start; never negative). */
export function elapsedSeconds(startIso, nowMs = Date.now()) {
  const start = typeof startIso === 'string' ? Date.parse(startIso) : Number.NaN;
  if (Number.isNaN(start)) return null;
  return Math.max(0, Math.floor((nowMs - start) / 1000));
}

/** The ISO duration for a <time datetime>: PT1H2M5S. */
export function isoDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return 'PT0S';
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

// MARK: - the participant's own questions

/**
 * The participant's questions (from GET …/questions?mine=1), updated by the public events: returns the new list and
 * what happened to each of them worth announcing ([{id, state, reason}] for approvals and rejections).
 */
export function applyMineModerated(mine, data) {
  if (!Array.isArray(mine) || !isObject(data) || !Number.isSafeInteger(data.question_id)) return { mine, changes: [] };
  const index = mine.findIndex((q) => q.id === data.question_id);
  if (index < 0) return { mine, changes: [] };
  const before = mine[index];
  const after = { ...before, state: data.state ?? before.state };
  if (data.reason !== undefined) after.reason = data.reason;
  if (data.merged_into !== undefined) after.merged_into = data.merged_into;
  const next = [...mine];
  next[index] = after;
  const changes = before.state !== after.state && ['approved', 'rejected', 'merged'].includes(after.state)
    ? [{ id: after.id, state: after.state, reason: after.reason ?? null }]
    : [];
  return { mine: next, changes };
}

/** My questions, newest first. */
export function sortMine(mine) {
  return [...mine].sort((a, b) => time(b.submitted_at) - time(a.submitted_at) || b.id - a.id);
}

/** Number of characters as the server counts them: trimmed, NFC, grapheme clusters. */
export function characterCount(text) {
  const value = String(text ?? '').trim().normalize('NFC');
  if (typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function') {
    let n = 0;
    for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(value)) n += 1;
    return n;
  }
  return [...value].length;
}

/** The JSON body of an ask from form entries: text trimmed; empty name and region left out. */
export function questionPayload(entries) {
  const payload = {};
  for (const [key, raw] of entries) {
    if (typeof raw !== 'string') continue;
    if (key === 'text') payload.text = raw.trim();
    else if ((key === 'name' || key === 'region') && raw.trim() !== '') payload[key] = raw.trim();
  }
  if (!('text' in payload)) payload.text = '';
  return payload;
}
