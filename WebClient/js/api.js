// The JSON API client shared by the hearing pages (Protocol/HEARINGS.md §3). Every request is same-origin with
// credentials (the participant and staff cookies), sends `Content-Type: application/json` and, when it changes
// state, a JSON body (`{}` when there is nothing to say). Answers are parsed as JSON; a refusal
// (`{"error":{"code","message","fields"?}}`) or a network failure is thrown as an ApiError.
//
//   import { api, ApiError } from './api.js';
//   try { const body = await api('/api/v1/questions/12/vote', { method: 'POST' }); }
//   catch (error) { if (error instanceof ApiError && error.status === 409) … }

export class ApiError extends Error {
  /**
   * @param {{status: number, code: string, message: string, fields?: Record<string,string>, retryAfter?: number|null, body?: unknown}} details
   *        status 0 and code 'network_error' when no answer arrived
   */
  constructor({ status, code, message, fields = {}, retryAfter = null, body = null }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
    this.body = body;
  }
}

/** Normalises an error body (or anything else) into {code, message, fields}. `message` may be ''. */
export function parseErrorBody(status, body) {
  const error = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : {};
  const code = typeof error.code === 'string' && error.code !== '' ? error.code : `http_${status}`;
  const message = typeof error.message === 'string' ? error.message : '';
  const fields = {};
  if (error.fields && typeof error.fields === 'object') {
    for (const [field, text] of Object.entries(error.fields)) {
      if (typeof text === 'string' && text !== '') fields[field] = text;
    }
  }
  return { code, message, fields };
}

/** Seconds from a Retry-After header value (seconds or an HTTP date), or null. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value === null || value === undefined || value === '') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The fetch options of a request: what `api()` sends (exported for the tests). */
export function requestInit(method = 'GET', body = undefined) {
  const upper = method.toUpperCase();
  const init = {
    method: upper,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  };
  if (upper !== 'GET' && upper !== 'HEAD') init.body = JSON.stringify(body ?? {});
  return init;
}

/**
 * Sends a request and resolves with the parsed JSON answer (null for an empty one).
 * @param {string} path
 * @param {{method?: string, body?: unknown, fetchImpl?: typeof fetch, fallbackMessage?: string}} [options]
 * @throws {ApiError}
 */
export async function api(path, { method = 'GET', body, fetchImpl = globalThis.fetch, fallbackMessage = '' } = {}) {
  let response;
  try {
    response = await fetchImpl(path, requestInit(method, body));
  } catch (cause) {
    throw new ApiError({ status: 0, code: 'network_error', message: fallbackMessage || String(cause?.message ?? cause) });
  }
  let parsed = null;
  try {
    const text = await response.text();
    parsed = text === '' ? null : JSON.parse(text);
  } catch { /* not JSON */ }
  if (response.ok) return parsed;
  const { code, message, fields } = parseErrorBody(response.status, parsed);
  const retryAfter = parseRetryAfter(response.headers?.get?.('Retry-After'));
  throw new ApiError({ status: response.status, code, message: message || fallbackMessage, fields, retryAfter, body: parsed });
}

/** `api` bound to a fetch implementation (pages inject theirs). */
export function apiClient(fetchImpl = globalThis.fetch?.bind(globalThis)) {
  return (path, options = {}) => api(path, { fetchImpl, ...options });
}

/**
 * The words for a refusal on a page (pure). The answer's `code` is stable and the same in every language: a code in
 * `codes` (code -> page string key, which may use `{seconds}` from Retry-After) that the page has a string for is
 * said in the page's own words; otherwise the server's message stands (it follows the request's language: the
 * `hc_lang` cookie, else Accept-Language, as the page did), and without one the page's `fallbackKey`. Status 0 (no
 * answer) says `offlineKey`. A `rate_limited` key without a Retry-After keeps the server's message (it says how long
 * to wait). Each page passes only the codes it can meet, so it ships only those strings.
 */
export function apiErrorText(t, error, fallbackKey, { codes = {}, offlineKey = 'offline_not_sent' } = {}) {
  const has = (key) => Boolean(key) && Boolean(t) && typeof t.has === 'function' && t.has(key);
  if (Number(error?.status) === 0 && has(offlineKey)) return t(offlineKey);
  const code = typeof error?.code === 'string' ? error.code : '';
  const key = Object.hasOwn(codes, code) ? codes[code] : null;
  const seconds = Number.isSafeInteger(error?.retryAfter) ? error.retryAfter : null;
  if (has(key) && !(code === 'rate_limited' && seconds === null)) return t(key, { seconds: seconds ?? '' });
  if (typeof error?.message === 'string' && error.message !== '') return error.message;
  return has(fallbackKey) ? t(fallbackKey) : '';
}
