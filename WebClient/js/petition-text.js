// What the petition page's script says, in the page's language (pure; petition-page.js wires it). Each function takes
// the page's translator `t` (i18n.js) last; without one, or when the page's strings lack a key, it says the English
// words, so the page never shows a bare key.

import { ConnectionState, HttpErrorCode } from './constants.js';
import { format } from './i18n.js';

/** `t(key, values)` when the page has the key, else the English `fallback` with the same values. */
export function say(t, key, fallback, values = {}) {
  return t && typeof t.has === 'function' && t.has(key) ? t(key, values) : format(fallback, values);
}

/** The plural form of `base` (`base_one`, `base_other`, …) with `{n}`; English fallbacks `one`/`other`. */
export function sayPlural(t, base, n, { one, other }, values = {}) {
  if (t && typeof t.plural === 'function' && t.has(`${base}_other`)) return t.plural(base, n, values);
  return format(n === 1 ? one : other, { n, ...values });
}

export const STATUS_TEXT = Object.freeze({
  [ConnectionState.CONNECTING]: 'Connecting to live updates…',
  [ConnectionState.LIVE]: 'Live',
  [ConnectionState.RECONNECTING]: 'Reconnecting…',
  [ConnectionState.OFFLINE]: 'Offline — the count may be out of date',
});

const STATUS_KEYS = Object.freeze({
  [ConnectionState.CONNECTING]: 'petition_status_connecting',
  [ConnectionState.LIVE]: 'petition_status_live',
  [ConnectionState.RECONNECTING]: 'petition_status_reconnecting',
  [ConnectionState.OFFLINE]: 'petition_status_offline',
});

/** The live-status line for a connection state. */
export function statusText(state, t) {
  return STATUS_KEYS[state] ? say(t, STATUS_KEYS[state], STATUS_TEXT[state]) : '';
}

/** The words of the petition states a `state` event can bring (the server's labels). */
export const STATE_LABELS = Object.freeze({ open: 'Open', closed: 'Closed', rejected: 'Rejected', hidden: 'Hidden' });

/** A petition state's label (`petition_state_{state}`). */
export function stateLabel(state, t) {
  const fallback = STATE_LABELS[state] ?? state.charAt(0).toUpperCase() + state.slice(1).replace(/_/g, ' ');
  return say(t, `petition_state_${state}`, fallback);
}

/**
 * What the page says when the petition stops accepting signatures (a `state` event, or a snapshot, whose state is
 * not "open"): null while it is open; else the tag's label and the notice that replaces the form. A rejection's
 * published details are quoted.
 * @returns {{state: string, label: string, heading: string, text: string} | null}
 */
export function stateNotice(state, rejection = null, t = undefined) {
  if (typeof state !== 'string' || state === '' || state === 'open') return null;
  const label = stateLabel(state, t);
  if (state === 'closed') {
    return {
      state, label,
      heading: say(t, 'petition_notice_closed_heading', 'This petition is closed'),
      text: say(t, 'petition_notice_closed_text', 'It is not accepting signatures any more.'),
    };
  }
  if (state === 'rejected') {
    const details = rejection && typeof rejection.details === 'string' ? rejection.details.trim() : '';
    return {
      state, label, heading: say(t, 'petition_notice_rejected_heading', 'This petition was rejected'),
      text: details
        ? say(t, 'petition_notice_rejected_details', 'It is not accepting signatures. {details}', { details })
        : say(t, 'petition_notice_rejected_text', 'It is not accepting signatures.'),
    };
  }
  return {
    state, label,
    heading: say(t, 'petition_notice_stopped_heading', 'This petition is not accepting signatures'),
    text: say(t, 'petition_notice_stopped_text', 'Signing has stopped.'),
  };
}

/** `1,234 signatures` / `1 signature`. */
export function countPhrase(count, format_, t = undefined) {
  return sayPlural(t, 'petition_signatures', count, { one: '{n} signature', other: '{n} signatures' }, { n: format_(count) });
}

/** The unit after the big number: `signature` / `signatures`. */
export function countUnit(count, t = undefined) {
  return sayPlural(t, 'petition_count_unit', count, { one: 'signature', other: 'signatures' });
}

/** A threshold's status line: "Reached" or "40% of the way there". */
export function thresholdStatus(reached, percent, t = undefined) {
  return reached ? say(t, 'threshold_reached', 'Reached') : say(t, 'threshold_percent', '{n}% of the way there', { n: percent });
}

/** Heading and text of the success message for an outcome of `signOutcome`. */
export function signedMessage(outcome, { name = '', email = '' } = {}, t = undefined) {
  const who = name ? say(t, 'sign_thanks_name', 'Thank you, {name}.', { name }) : say(t, 'sign_thanks', 'Thank you.');
  if (outcome === 'pending_confirmation') {
    // The same words as the server's no-JS answer (#signature-pending-panel).
    const to = email ? say(t, 'sign_pending_sent_to', 'We have sent a link to {email}.', { email }) : say(t, 'sign_pending_sent', 'We have sent you a link by email.');
    return {
      heading: say(t, 'sign_pending_heading', 'Check your email'),
      text: `${who} ${to} ${say(t, 'sign_pending_after', 'Your signature counts once you open it and press the button on the page.')}`,
    };
  }
  if (outcome === 'held') {
    return {
      heading: say(t, 'sign_held_heading', 'Signature received'),
      text: `${who} ${say(t, 'sign_held_text', 'Your signature will be checked before it is counted.')}`,
    };
  }
  return {
    heading: say(t, 'signed_title', 'Thank you for signing'),
    text: `${who} ${say(t, 'sign_counted_text', 'Your signature has been added. The count updates by itself.')}`,
  };
}

const FALLBACK_MESSAGES = Object.freeze({
  [HttpErrorCode.DUPLICATE_SIGNATURE]: ['sign_error_duplicate', 'This email address has already been used to sign this petition.'],
  [HttpErrorCode.PETITION_NOT_OPEN]: ['petition_not_accepting', 'This petition is not accepting signatures.'],
  [HttpErrorCode.NOT_FOUND]: ['sign_error_not_found', 'This petition could not be found.'],
  [HttpErrorCode.PAYLOAD_TOO_LARGE]: ['sign_error_too_large', 'What you entered is too long.'],
  [HttpErrorCode.INVALID_INPUT]: ['sign_error_invalid', 'Check what you entered.'],
  csrf_failed: ['error_csrf_failed', 'This form has expired or did not come from this site. Reload the page and try again.'],
  household_limit: ['sign_error_household', 'Two people have already signed this petition with this email address; each person needs their own address after that.'],
});

/** The message when nothing better is known. */
export function genericFailure(t = undefined) {
  return say(t, 'sign_error_generic', 'Something went wrong and your signature has not been added. Please try again.');
}

/** The message when the browser is offline. */
export function offlineFailure(t = undefined) {
  return say(t, 'sign_error_offline', 'You seem to be offline. Your signature has not been sent: try again when you are connected.');
}

/**
 * Normalises an error response body `{error:{code,message,fields?}}` (or anything else) for display. A code the page
 * has words for (FALLBACK_MESSAGES, but `invalid_input`, whose server message says more) is said in the page's
 * language; otherwise the server's message (in the request's language), else the generic failure.
 */
export function describeError(status, body, t = undefined) {
  const error = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : {};
  const code = typeof error.code === 'string' ? error.code : `http_${status}`;
  const fallback = FALLBACK_MESSAGES[code];
  const server = typeof error.message === 'string' ? error.message : '';
  const ownWords = fallback && code !== HttpErrorCode.INVALID_INPUT && t && typeof t.has === 'function' && t.has(fallback[0]);
  const message = ownWords ? say(t, fallback[0], fallback[1])
    : server !== '' ? server
      : (fallback ? say(t, fallback[0], fallback[1]) : genericFailure(t));
  const fields = {};
  if (error.fields && typeof error.fields === 'object') {
    for (const [field, text] of Object.entries(error.fields)) {
      if (typeof text === 'string' && text !== '') fields[field] = text;
    }
  }
  return { code, message, fields };
}
