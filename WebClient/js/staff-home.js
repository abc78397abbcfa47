// The staff home page (templates/staff-home.mustache, GET /staff): the "New sitting" form, shown and sent as JSON
// to POST /api/v1/sittings (Protocol/HEARINGS.md §3) by this script; the page reloads on success. Without
// JavaScript the form stays hidden (the API takes JSON only) and a <noscript> says so.
//
// DOM hooks: form#new-sitting-form (#sitting-title, #sitting-committee, #sitting-scheduled_start,
// #sitting-stream_url, #sitting-agenda, #sitting-witnesses), #new-sitting-submit, #new-sitting-result.

import { ApiError, apiClient } from './api.js';
import { setFieldError, showErrorSummary, showMessage, wireErrorSummaryLinks } from './dom.js';
import { isPage } from './hearing-text.js';
import { pageTranslator } from './i18n.js';

export const SITTING_FIELDS = Object.freeze(['title', 'committee', 'scheduled_start', 'stream_url', 'agenda', 'witnesses']);

/** A datetime-local value ("2026-11-29T14:00", local time) as an ISO UTC string, or null. */
export function localDateTimeToIso(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(value ?? '').trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map((part) => (part === undefined ? undefined : Number(part)));
  const date = new Date(y, mo - 1, d, h, mi, s ?? 0, 0);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Non-empty trimmed lines. */
export function lines(text) {
  return String(text ?? '').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
}

/**
 * The JSON body of POST /api/v1/sittings from the form's values: title, committee and scheduled_start always
 * (the server reports what is missing: an unreadable date is sent as ''), stream_url when given, agenda and
 * witnesses as arrays.
 */
export function sittingPayload(values) {
  const get = (name) => String(values[name] ?? '').trim();
  const payload = {
    title: get('title'),
    committee: get('committee'),
    scheduled_start: localDateTimeToIso(get('scheduled_start')) ?? get('scheduled_start'),
    agenda: lines(values.agenda),
    witnesses: lines(values.witnesses),
  };
  if (get('stream_url') !== '') payload.stream_url = get('stream_url');
  return payload;
}

export function enhanceStaffHome({
  doc = globalThis.document,
  win = globalThis.window,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
} = {}) {
  const form = doc.getElementById('new-sitting-form');
  if (!form || !fetchImpl) return null;
  const t = pageTranslator(doc);
  const api = apiClient(fetchImpl);
  const result = doc.getElementById('new-sitting-result');
  const submit = doc.getElementById('new-sitting-submit');
  form.hidden = false;
  wireErrorSummaryLinks(doc);

  const input = (field) => doc.getElementById(`sitting-${field}`);
  let busy = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const values = Object.fromEntries(new FormData(form).entries());
    busy = true;
    submit.disabled = true;
    for (const field of SITTING_FIELDS) setFieldError(doc, input(field), null, { prefix: t('error_prefix') });
    try {
      await api('/api/v1/sittings', { method: 'POST', body: sittingPayload(values) });
      showMessage(doc, result, 'success', t('new_sitting_created'), null);
      win.location.reload();
    } catch (error) {
      const fields = error instanceof ApiError ? Object.entries(error.fields).filter(([field]) => input(field)) : [];
      for (const [field, text] of fields) setFieldError(doc, input(field), text, { prefix: t('error_prefix') });
      if (fields.length > 0) {
        showErrorSummary(doc, result, { title: t('error_summary_title'), links: fields.map(([field, text]) => [`sitting-${field}`, text]) });
      } else {
        const message = error instanceof ApiError && error.status === 0 ? t('network_failed') : (error.message || t('action_failed'));
        showMessage(doc, result, 'error', t('new_sitting_failed'), message);
      }
    } finally {
      busy = false;
      submit.disabled = false;
    }
  });
  return { form };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'staff-home')) {
  enhanceStaffHome();
}
