// What a citizen page says when the API refuses something (pure; the sitting and petition pages use it). The answer's
// `code` is stable and the same in every language: a code the page has words for is said in the page's language from
// its own strings; otherwise the server's message (which follows the request's language: the `hc_lang` cookie, else
// Accept-Language, as the page did) stands, and without one the caller's fallback. Field messages come from the
// server, already in the request's language.

/** Codes the citizen pages say in their own words: code -> page string key (`{seconds}` from Retry-After). */
export const ERROR_CODE_KEYS = Object.freeze({
  csrf_failed: 'error_csrf_failed',
  sitting_not_live: 'ask_error_ended',
  duplicate_signature: 'sign_error_duplicate',
  household_limit: 'sign_error_household',
  petition_not_open: 'petition_not_accepting',
  mail_limit: 'error_mail_limit',
  payload_too_large: 'sign_error_too_large',
  rate_limited: 'error_rate_limited',
});

const has = (t, key) => Boolean(t) && typeof t.has === 'function' && t.has(key);

/**
 * The words for a refusal. `error`: `{status, code, message, retryAfter?}` (an ApiError, or describeError's result);
 * status 0 means no answer arrived (`offlineKey`). `fallbackKey`: the page's words when nothing better is known.
 * A `rate_limited` answer without a Retry-After keeps the server's message (it says how long to wait).
 */
export function apiErrorText(t, error, fallbackKey, { offlineKey = 'offline_not_sent' } = {}) {
  const status = Number(error?.status);
  if (status === 0 && has(t, offlineKey)) return t(offlineKey);
  const code = typeof error?.code === 'string' ? error.code : '';
  const key = Object.hasOwn(ERROR_CODE_KEYS, code) ? ERROR_CODE_KEYS[code] : null;
  const seconds = Number.isSafeInteger(error?.retryAfter) ? error.retryAfter : null;
  if (key && has(t, key) && !(code === 'rate_limited' && seconds === null)) return t(key, { seconds: seconds ?? '' });
  if (typeof error?.message === 'string' && error.message !== '') return error.message;
  return has(t, fallbackKey) ? t(fallbackKey) : '';
}
