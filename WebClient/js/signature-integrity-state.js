// Pure logic of the staff signatures page (templates/staff-signatures.mustache, js/staff-signatures.js;
// Protocol/PETITIONS.md §4, "Held signatures and bulk invalidation"): the condition sent to
// POST /api/v1/signatures/search, /invalidate and /release from the search form's values (datetime-local inputs
// become ISO 8601 UTC), the invalidation body, the answers as the page shows them (the preview, the matching
// signatures, the held counts, the record of invalidations), and the words for refusals. No DOM, no I/O.

import { ApiError } from './api.js';

/** The signature states a condition can name (`invalidated` ones match nothing). */
export const SIGNATURE_STATES = Object.freeze(['counted', 'pending', 'held']);

/** The condition's parts, in the order of the form (and of the server's `fields`). */
export const CONDITION_FIELDS = Object.freeze(['petition_id', 'email_domain', 'ip_range', 'from', 'until', 'states']);

/** Longest published reason (the server's limit). */
export const REASON_MAX = 300;

/** Signatures a search lists at most (the server's `listed_at_most`, when it does not say). */
export const LISTED_AT_MOST = 200;

/** i18n keys of the signature states. */
export const SIGNATURE_STATE_KEYS = Object.freeze({
  counted: 'signature_state_counted',
  pending: 'signature_state_pending',
  held: 'signature_state_held',
  invalidated: 'signature_state_invalidated',
});

const str = (value) => (typeof value === 'string' ? value : '');
const count = (value) => (Number.isSafeInteger(value) && value >= 0 ? value : 0);
const pad = (n, width = 2) => String(n).padStart(width, '0');

/**
 * The value of a `datetime-local` input ("2026-11-29T14:05", seconds optional), read as the browser's local time,
 * as ISO 8601 UTC with milliseconds ("2026-11-29T13:05:00.000Z" in Paris in winter). '' for an empty value, null
 * for one that is not a date and time. `offsetMinutes` (as `Date#getTimezoneOffset`, e.g. -60 for UTC+1) replaces
 * the browser's time zone (for tests).
 */
export function localToIso(value, { offsetMinutes } = {}) {
  const text = str(value).trim();
  if (text === '') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let date;
  if (Number.isFinite(offsetMinutes)) {
    date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) + offsetMinutes * 60_000);
  } else {
    date = new Date(year, month - 1, day, hour, minute, second, ms);
  }
  // 31 February and friends roll over: refuse them rather than search another day.
  const check = Number.isFinite(offsetMinutes) ? new Date(date.getTime() - offsetMinutes * 60_000) : date;
  const [y, mo, d] = Number.isFinite(offsetMinutes)
    ? [check.getUTCFullYear(), check.getUTCMonth() + 1, check.getUTCDate()]
    : [check.getFullYear(), check.getMonth() + 1, check.getDate()];
  if (Number.isNaN(date.getTime()) || y !== year || mo !== month || d !== day) return null;
  return date.toISOString();
}

/** An ISO 8601 time as the value of a `datetime-local` input in the browser's time zone (or `offsetMinutes`). */
export function isoToLocal(iso, { offsetMinutes } = {}) {
  const at = Date.parse(str(iso));
  if (Number.isNaN(at)) return '';
  if (Number.isFinite(offsetMinutes)) {
    const d = new Date(at - offsetMinutes * 60_000);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The condition from the search form's values `{petition_id, email_domain, ip_range, from, until, states: []}`:
 * `{condition, errors}`. Text is trimmed and empty parts left out; a petition id of digits is sent as a number (any
 * other text as it is, so that the server's message about it is the one shown); times are converted to UTC (a time
 * that cannot be read is an error here, as the server never sees the local value); `states` is always sent (the
 * boxes ticked, in the protocol's order; none is the server's error to report).
 * @param {Record<string, unknown>} values
 * @param {{offsetMinutes?: number, messages?: {time?: string}}} [options]
 */
export function conditionFromForm(values = {}, { offsetMinutes, messages = {} } = {}) {
  const condition = {};
  const errors = {};
  const petition = str(values.petition_id).trim();
  if (petition !== '') condition.petition_id = /^\d{1,15}$/.test(petition) ? Number(petition) : petition;
  for (const key of ['email_domain', 'ip_range']) {
    const text = str(values[key]).trim();
    if (text !== '') condition[key] = text;
  }
  for (const key of ['from', 'until']) {
    const iso = localToIso(values[key], { offsetMinutes });
    if (iso === null) errors[key] = messages.time ?? 'Enter a date and time.';
    else if (iso !== '') condition[key] = iso;
  }
  const ticked = Array.isArray(values.states) ? values.states : [];
  condition.states = SIGNATURE_STATES.filter((state) => ticked.includes(state));
  return { condition, errors };
}

/** Whether a condition names a petition, a domain, a range or a time (the server refuses to invalidate without). */
export function isNarrowed(condition) {
  return ['petition_id', 'email_domain', 'ip_range', 'from', 'until'].some((key) => condition?.[key] !== undefined && condition[key] !== '');
}

/**
 * The body of POST /api/v1/signatures/invalidate: the searched condition, the reason (trimmed) and the total the
 * moderator saw. `{body}` or `{error: 'reason_missing' | 'reason_too_long'}`.
 */
export function invalidatePayload(condition, reason, expectedTotal) {
  const text = str(reason).trim();
  if (text === '') return { error: 'reason_missing' };
  if ([...text].length > REASON_MAX) return { error: 'reason_too_long' };
  const body = { ...condition, reason: text };
  if (Number.isSafeInteger(expectedTotal) && expectedTotal >= 0) body.expected_total = expectedTotal;
  return { body };
}

/**
 * A preview (`{"total","counted","petitions":[{"petition_id","counted","pending","held"}]}`) as the page shows it:
 * the totals (pending and held summed over the petitions), one row per petition (by id), and whether there is
 * anything to invalidate.
 */
export function previewModel(preview) {
  const raw = preview && typeof preview === 'object' ? preview : {};
  const seen = new Set();
  const petitions = [];
  for (const p of Array.isArray(raw.petitions) ? raw.petitions : []) {
    if (!p || typeof p !== 'object' || !Number.isSafeInteger(p.petition_id) || seen.has(p.petition_id)) continue;
    seen.add(p.petition_id);
    const row = { petition_id: p.petition_id, counted: count(p.counted), pending: count(p.pending), held: count(p.held) };
    row.total = row.counted + row.pending + row.held;
    petitions.push(row);
  }
  petitions.sort((a, b) => a.petition_id - b.petition_id);
  const sum = (key) => petitions.reduce((n, p) => n + p[key], 0);
  const total = Number.isSafeInteger(raw.total) && raw.total >= 0 ? raw.total : sum('total');
  return {
    total,
    counted: Number.isSafeInteger(raw.counted) && raw.counted >= 0 ? raw.counted : sum('counted'),
    pending: sum('pending'),
    held: sum('held'),
    petitions,
    empty: total === 0,
  };
}

/** The words of a preview: "3 signatures match: 2 counted, 0 waiting for email confirmation, 1 held for review." */
export function previewSummary(t, model, format = (n) => String(n)) {
  return t.plural('signatures_match', model.total, {
    n: format(model.total), counted: format(model.counted), pending: format(model.pending), held: format(model.held),
  });
}

/** The matching signatures of a search answer, as the table shows them (strings default to '', nulls stay null). */
export function normaliseSignatures(body) {
  const raw = body && typeof body === 'object' && Array.isArray(body.signatures) ? body.signatures : [];
  const out = [];
  const seen = new Set();
  for (const s of raw) {
    if (!s || typeof s !== 'object' || !Number.isSafeInteger(s.id) || seen.has(s.id)) continue;
    seen.add(s.id);
    const nullable = (value) => (typeof value === 'string' && value !== '' ? value : null);
    out.push({
      id: s.id,
      petition_id: Number.isSafeInteger(s.petition_id) ? s.petition_id : null,
      name: str(s.name),
      email: str(s.email),
      ip: nullable(s.ip),
      postcode: nullable(s.postcode),
      country: nullable(s.country),
      constituency: nullable(s.constituency),
      kind: str(s.kind),
      state: str(s.state),
      created_at: str(s.created_at),
    });
  }
  return out;
}

/** The search answer as the page keeps it: the server's words for the condition, the preview, the signatures. */
export function searchResult(body) {
  const listedAtMost = Number.isSafeInteger(body?.listed_at_most) && body.listed_at_most > 0 ? body.listed_at_most : LISTED_AT_MOST;
  const signatures = normaliseSignatures(body);
  const preview = previewModel(body?.preview);
  return {
    conditionText: str(body?.condition),
    preview,
    signatures,
    listedAtMost,
    // The preview counts what an invalidation would change; the list shows at most `listedAtMost` of them.
    truncated: signatures.length >= listedAtMost && preview.total > signatures.length,
  };
}

/**
 * The held counts by petition, from a preview of `{"states":["held"]}` (what the page reloads after a release) or
 * from the list the server renders (`[{petition_id, held}]`, ids possibly as strings): petitions with held
 * signatures only, by id.
 */
export function heldList(source) {
  const list = Array.isArray(source) ? source : (source && typeof source === 'object' && Array.isArray(source.petitions) ? source.petitions : []);
  const out = [];
  const seen = new Set();
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const id = typeof item.petition_id === 'string' && /^\d+$/.test(item.petition_id) ? Number(item.petition_id) : item.petition_id;
    const held = typeof item.held === 'string' && /^\d+$/.test(item.held) ? Number(item.held) : item.held;
    if (!Number.isSafeInteger(id) || id <= 0 || seen.has(id) || !Number.isSafeInteger(held) || held <= 0) continue;
    seen.add(id);
    out.push({ petition_id: id, held });
  }
  return out.sort((a, b) => a.petition_id - b.petition_id);
}

/** The records of GET /api/v1/signatures/invalidations (newest first, as the server sends them). */
export function normaliseInvalidations(body) {
  const raw = body && typeof body === 'object' && Array.isArray(body.invalidations) ? body.invalidations : [];
  const out = [];
  const seen = new Set();
  for (const r of raw) {
    if (!r || typeof r !== 'object' || !Number.isSafeInteger(r.id) || seen.has(r.id)) continue;
    seen.add(r.id);
    out.push({
      id: r.id,
      at: str(r.at),
      staff_id: Number.isSafeInteger(r.staff_id) ? r.staff_id : null,
      reason: str(r.reason),
      condition: str(r.condition),
      changed: previewModel(r.changed),
    });
  }
  return out;
}

/** The server's answer to a release (`{"released", "confirmation"}`) in words. */
export function releasedText(t, answer, petitionId, format = (n) => String(n)) {
  const released = count(answer?.released);
  if (released === 0) return t('release_none', { petition: format(petitionId) });
  const key = answer?.confirmation === 'email' ? 'released_email' : 'released_counted';
  return t.plural(key, released, { n: format(released), petition: format(petitionId) });
}

export function signatureStateText(t, state) {
  return SIGNATURE_STATE_KEYS[state] ? t(SIGNATURE_STATE_KEYS[state]) : String(state ?? '');
}

/** The field errors of a refusal, split into those the page has a place for (`known`) and the rest. */
export function splitFieldErrors(error, known = CONDITION_FIELDS) {
  const fields = error instanceof ApiError ? error.fields : (error?.fields ?? {});
  const mine = {};
  const other = [];
  for (const [field, message] of Object.entries(fields ?? {})) {
    if (typeof message !== 'string' || message === '') continue;
    if (known.includes(field)) mine[field] = message; else other.push(message);
  }
  return { fields: mine, other };
}

/**
 * The new preview of a 409 `preview_changed` (the signatures matching the condition changed since the moderator
 * looked), or null for any other error.
 */
export function changedPreview(error) {
  if (!(error instanceof ApiError) || error.status !== 409 || error.code !== 'preview_changed') return null;
  const preview = error.body && typeof error.body === 'object' ? error.body.preview : null;
  return preview && typeof preview === 'object' ? previewModel(preview) : null;
}

/** What to tell the moderator when a request failed: the server's message when it gave one, else ours. */
export function integrityErrorText(t, error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('network_failed');
    if (error.status === 401) return t('session_expired');
    if (error.message) return error.message;
    if (error.status === 403) return t('signatures_forbidden');
  }
  return t('action_failed');
}
