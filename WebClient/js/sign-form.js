// The petition page's sign form sent with fetch (petition-page.js wires it): the post as JSON, what the answer
// means (counted, waiting for the emailed link, held for checking), field errors tied to their fields and a summary,
// and the fallbacks: offline says so, no answer at all posts the form normally (the no-JavaScript path still works).
//
// DOM hooks: form#sign-form (its named fields), #sign-result[data-outcome], #error-summary (a no-JS attempt's),
// #main[data-petition-id] (the count is fetched again after a counted signature).

import { describeError, offlineFailure, say, signedMessage } from './petition-text.js';

export const SIGN_FIELDS = Object.freeze(['name', 'email', 'postcode', 'country']);
const OPTIONAL_FIELDS = new Set(['postcode', 'country']);

/** The JSON body for POST /api/v1/petitions/{id}/signatures from form entries; empty optional fields left out. */
export function signaturePayload(entries) {
  const payload = {};
  for (const [key, raw] of entries) {
    if (!SIGN_FIELDS.includes(key) || typeof raw !== 'string') continue;
    const value = raw.trim();
    if (value === '' && OPTIONAL_FIELDS.has(key)) continue;
    payload[key] = value;
  }
  return payload;
}

/**
 * What a successful answer to POST …/signatures means (Protocol/PETITIONS.md §3): `counted` (201, or any 2xx without a
 * state), `pending_confirmation` (202 with `--signature-confirmation email`: nothing counts until the emailed link is
 * confirmed) or `held` (202 over a rate limit: kept for checking, not counted).
 */
export function signOutcome(status, body) {
  const state = body && typeof body === 'object' ? body.state : undefined;
  if (status === 202 && (state === 'pending_confirmation' || state === 'held')) return state;
  return 'counted';
}

/**
 * Wires the form. `onCount(n)`: a count read after one's own counted signature (never lower than the shown one:
 * the page decides); `formEntries(form)`: the form's [name, value] pairs (FormData in the browser). Returns
 * `{form, send}`; null without the form or fetch.
 */
export function enhanceSignForm({
  doc, win, t, form = doc.getElementById('sign-form'), fetchImpl, onCount = () => {}, formEntries = (f) => new FormData(f).entries(),
}) {
  if (!form || !fetchImpl) return null;
  const result = doc.getElementById('sign-result');
  const button = form.querySelector('[type="submit"]');
  let busy = false;

  const nativeSubmit = () => (win.HTMLFormElement ?? globalThis.HTMLFormElement).prototype.submit.call(form);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    send();
  });

  async function send() {
    const action = form.getAttribute('action');
    const payload = signaturePayload(formEntries(form));
    let request;
    try {
      request = fetchImpl(action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(payload),
        credentials: 'same-origin',
      });
    } catch {
      nativeSubmit(); // fetch could not even start: let the browser post the form
      return;
    }
    setBusy(true);
    let response;
    try {
      response = await request;
    } catch {
      setBusy(false);
      if (win.navigator && win.navigator.onLine === false) {
        showMessage('error', say(t, 'sign_not_sent_heading', 'Your signature has not been sent'), offlineFailure(t));
      } else {
        nativeSubmit(); // no response at all (blocked, network hiccup): the normal post still works
      }
      return;
    }
    let body = null;
    try { body = await response.json(); } catch { /* not JSON */ }
    setBusy(false);
    if (response.status === 201 || response.ok) {
      succeed(payload, signOutcome(response.status, body));
    } else {
      fail(describeError(response.status, body, t));
    }
  }

  function setBusy(value) {
    busy = value;
    form.setAttribute('aria-busy', String(value));
    if (button) button.disabled = value;
  }

  function succeed(payload, outcome) {
    clearFieldErrors();
    // Not form.reset(): after a no-JS attempt the inputs' default values are what was typed then.
    for (const field of SIGN_FIELDS) {
      const input = form.elements.namedItem(field);
      if (input && 'value' in input) input.value = '';
    }
    const { heading, text } = signedMessage(outcome, payload, t);
    showMessage('success', heading, text);
    if (result) result.dataset.outcome = outcome;
    if (outcome === 'counted') refreshCount(); // a pending or held signature does not move the count
  }

  async function refreshCount() {
    // The live socket brings the new count; this covers a page that is offline from /live.
    const id = doc.getElementById('main')?.dataset.petitionId;
    if (!id) return;
    try {
      const response = await fetchImpl(`/petitions/${encodeURIComponent(id)}/count.json`, {
        headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
      if (!response.ok) return;
      const body = await response.json();
      if (Number.isSafeInteger(body?.signature_count)) onCount(body.signature_count);
    } catch { /* the live update will do */ }
  }

  function fail({ message, fields }) {
    clearFieldErrors();
    const entries = Object.entries(fields).filter(([field]) => form.elements.namedItem(field));
    for (const [field, text] of entries) setFieldError(field, text);
    if (entries.length > 0) {
      showSummary(entries);
    } else {
      showMessage('error', say(t, 'sign_not_added_heading', 'Your signature has not been added'), message);
    }
  }

  function clearFieldErrors() {
    doc.getElementById('error-summary')?.remove(); // the server-rendered one, from a no-JS attempt
    for (const field of SIGN_FIELDS) setFieldError(field, null);
  }

  function setFieldError(field, text) {
    const input = form.elements.namedItem(field);
    if (!input || typeof input.setAttribute !== 'function') return;
    const errorId = `${input.id || `sign-${field}`}-error`;
    let errorEl = doc.getElementById(errorId);
    const group = input.closest('.form-group');
    const describedBy = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && id !== errorId);
    if (text === null) {
      errorEl?.remove();
      input.removeAttribute('aria-invalid');
      group?.classList.remove('form-group--error');
    } else {
      if (!errorEl) {
        errorEl = doc.createElement('p');
        errorEl.id = errorId;
        errorEl.className = 'error-message';
        input.before(errorEl);
      }
      errorEl.replaceChildren(visuallyHidden(say(t, 'error_prefix', 'Error: ')), text);
      input.setAttribute('aria-invalid', 'true');
      group?.classList.add('form-group--error');
      describedBy.push(errorId);
    }
    if (describedBy.length > 0) input.setAttribute('aria-describedby', describedBy.join(' '));
    else input.removeAttribute('aria-describedby');
  }

  function visuallyHidden(text) {
    const span = doc.createElement('span');
    span.className = 'visually-hidden';
    span.textContent = text;
    return span;
  }

  function showSummary(entries) {
    if (!result) return;
    const box = doc.createElement('div');
    box.className = 'error-summary';
    const title = doc.createElement('h2');
    title.className = 'error-summary__title';
    title.textContent = say(t, 'error_summary_title', 'There is a problem');
    const list = doc.createElement('ul');
    list.className = 'error-summary__list';
    for (const [field, text] of entries) {
      const input = form.elements.namedItem(field);
      const item = doc.createElement('li');
      const link = doc.createElement('a');
      link.href = `#${input.id || `sign-${field}`}`;
      link.textContent = text;
      item.append(link);
      list.append(item);
    }
    box.append(title, list);
    result.className = 'sign-result sign-result--error';
    delete result.dataset.outcome;
    result.replaceChildren(box);
    result.focus();
  }

  function showMessage(kind, heading, text) {
    if (!result) return;
    delete result.dataset.outcome;
    const title = doc.createElement('h2');
    title.className = 'sign-result__title';
    title.textContent = heading;
    const body = doc.createElement('p');
    body.textContent = text;
    result.className = `sign-result sign-result--${kind}`;
    result.replaceChildren(title, body);
    result.focus();
  }

  return { form, send };
}
