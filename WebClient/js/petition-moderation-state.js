// Pure logic of the petitions moderators' page (templates/staff-petitions.mustache, js/staff-petitions.js;
// Protocol/PETITIONS.md §1 and §4): which actions a petition's state allows, the request bodies of
// POST /api/v1/petitions/{id}/moderation, the queue as GET /api/v1/petitions/moderation-queue gives it, what an
// answer does to the queue, and the words for states, confirmations and refusals. No DOM, no I/O.

import { ApiError } from './api.js';

/** The moderation actions, in the order of the buttons. */
export const PETITION_ACTIONS = Object.freeze(['publish', 'reject', 'hide', 'flag']);

/** The states each action starts from (PETITIONS.md §1; anything else is 409 petition_state_conflict). */
export const ACTION_FROM = Object.freeze({
  publish: Object.freeze(['sponsored', 'flagged']),
  reject: Object.freeze(['sponsored', 'flagged', 'open']),
  hide: Object.freeze(['sponsored', 'flagged', 'open']),
  flag: Object.freeze(['sponsored']),
});

/** The state each action leads to (used when an answer does not say). */
export const ACTION_RESULT = Object.freeze({ publish: 'open', reject: 'rejected', hide: 'hidden', flag: 'flagged' });

/** The states of the moderation queue: a petition in another state leaves the page. */
export const QUEUE_STATES = Object.freeze(['sponsored', 'flagged']);

/** i18n keys of the petition states. */
export const PETITION_STATE_KEYS = Object.freeze({
  pending: 'petition_state_pending',
  validated: 'petition_state_validated',
  sponsored: 'petition_state_sponsored',
  flagged: 'petition_state_flagged',
  open: 'petition_state_open',
  closed: 'petition_state_closed',
  rejected: 'petition_state_rejected',
  hidden: 'petition_state_hidden',
});

/** i18n keys of the confirmations ("Published: {text}"), by action. */
export const PETITION_DONE_KEYS = Object.freeze({
  publish: 'petition_done_publish',
  reject: 'petition_done_reject',
  hide: 'petition_done_hide',
  flag: 'petition_done_flag',
});

/** i18n keys of the action buttons. */
export const PETITION_BUTTON_KEYS = Object.freeze({
  publish: 'petition_button_publish',
  reject: 'petition_button_reject',
  hide: 'petition_button_hide',
  flag: 'petition_button_flag',
});

/** The actions a petition in `state` allows, in button order. */
export function actionsFor(state) {
  return PETITION_ACTIONS.filter((action) => ACTION_FROM[action].includes(state));
}

/**
 * The body of POST /api/v1/petitions/{id}/moderation, or null when it cannot be sent (unknown action, a rejection
 * without a code). Rejection details are trimmed and left out when empty.
 */
export function moderationPayload(action, { code, details } = {}) {
  if (!PETITION_ACTIONS.includes(action)) return null;
  if (action !== 'reject') return { action };
  const reason = typeof code === 'string' ? code.trim() : '';
  if (reason === '') return null;
  const body = { action, code: reason };
  const text = typeof details === 'string' ? details.trim() : '';
  if (text !== '') body.details = text;
  return body;
}

const str = (value) => (typeof value === 'string' ? value : '');

/**
 * The queue from the answer of GET /api/v1/petitions/moderation-queue (`{"petitions":[…]}`): entries without a
 * whole-number id are dropped, strings default to '', the count to 0, duplicates keep the first; oldest first (by id).
 */
export function normaliseQueue(body) {
  const raw = body && typeof body === 'object' && Array.isArray(body.petitions) ? body.petitions : [];
  const seen = new Set();
  const out = [];
  for (const p of raw) {
    if (!p || typeof p !== 'object' || !Number.isSafeInteger(p.id) || seen.has(p.id)) continue;
    seen.add(p.id);
    out.push({
      id: p.id,
      action: str(p.action),
      background: str(p.background),
      additional_details: str(p.additional_details),
      state: str(p.state),
      creator_name: typeof p.creator_name === 'string' && p.creator_name.trim() !== '' ? p.creator_name : null,
      signature_count: Number.isSafeInteger(p.signature_count) && p.signature_count >= 0 ? p.signature_count : 0,
      created_at: str(p.created_at),
    });
  }
  return out.sort((a, b) => a.id - b.id);
}

/**
 * The queue after the server answered a moderation of petition `id` with `state`: still in the queue (flagged):
 * updated in place; anything else (open, rejected, hidden): removed. The input is left untouched.
 */
export function applyModeration(petitions, id, state) {
  if (QUEUE_STATES.includes(state)) return petitions.map((p) => (p.id === id ? { ...p, state } : p));
  return petitions.filter((p) => p.id !== id);
}

/** The state after `action`, from the answer (`{"id","state"}`), else what the action leads to. */
export function resultState(action, answer) {
  return answer && typeof answer.state === 'string' && answer.state !== '' ? answer.state : ACTION_RESULT[action];
}

/** The id of the element to focus once `id` has left the list `ids`: the next one, else the previous, else null. */
export function focusAfterRemoval(ids, id) {
  const index = ids.indexOf(id);
  if (index === -1) return null;
  if (index + 1 < ids.length) return ids[index + 1];
  return index > 0 ? ids[index - 1] : null;
}

/** A short one-line excerpt for dialogs and announcements. */
export function shorten(text, max = 80) {
  const value = String(text ?? '').replace(/\s+/g, ' ').trim();
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}

export function petitionStateText(t, state) {
  return PETITION_STATE_KEYS[state] ? t(PETITION_STATE_KEYS[state]) : String(state ?? '');
}

/** A date-time of the queue (`created_at`, ISO 8601) in the page's language; '' when it does not parse. */
export function formatDateTime(iso, lang = 'en', timeZone = undefined) {
  const at = Date.parse(String(iso ?? ''));
  if (Number.isNaN(at)) return '';
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(at));
  } catch {
    return new Date(at).toISOString();
  }
}

/**
 * What to tell the moderator when a request failed: the server's message when it gave one (409
 * petition_state_conflict says which state the petition is in), else a message of ours for the kind of failure.
 */
export function moderationErrorText(t, error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('network_failed');
    if (error.status === 401) return t('session_expired');
    if (error.message) return error.message;
    if (error.status === 403) return t('petition_moderation_forbidden');
    if (error.status === 409) return t('petition_state_conflict');
  }
  return t('action_failed');
}
