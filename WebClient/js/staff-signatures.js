// The staff signatures page (templates/staff-signatures.mustache, GET /staff/signatures; Protocol/PETITIONS.md §4,
// "Held signatures and bulk invalidation"). It needs JavaScript (the template says so in a <noscript>):
//
// - the held signatures by petition (rendered by the server, reloaded with POST /api/v1/signatures/search
//   {"states":["held"]}): "Release" sends POST /api/v1/signatures/release {"petition_id"}, "Search" fills the search
//   form with that petition's held signatures and searches;
// - the search form: a condition (petition, email domain, address range, a time window in local time sent as UTC,
//   states) sent to POST /api/v1/signatures/search; the answer's preview (what an invalidation would change, by
//   petition) and the newest matching signatures (at most 200, with their personal data: staff only);
// - "Invalidate these N signatures" opens a dialog that asks for the published reason, then sends the searched
//   condition with {"reason", "expected_total": N} to POST /api/v1/signatures/invalidate; a 409 preview_changed
//   shows the new preview in the dialog and asks to confirm again; success shows the record, reloads the held list,
//   the search and the past invalidations (GET /api/v1/signatures/invalidations).
//
// This module only wires (events, API calls, focus): the page is drawn by staff-signatures-view.js from the shapes of
// signature-integrity-state.js (pure).
//
// Refusals ({error:{code,message,fields?}}) show the server's message: per field (with an error summary) where it
// names fields, in #signatures-alert otherwise. Confirmations go through a polite Announcer.
//
// DOM hooks: #main[data-page="staff-signatures"][data-confirmation], ul#held-list > li.held-item#held-{id}
// [data-petition-id][data-held] (button[data-action=release|search]), #held-empty, #held-hint-email, #release-result,
// form#search-form (#search-petition_id, #search-email_domain, #search-ip_range, #search-from, #search-until,
// input[name=states]), #search-errors, section#preview-section (#preview-condition, #preview-summary,
// #preview-petitions-body > tr[data-petition-id], #invalidate-open, #invalidate-result, #matches-body >
// tr[data-signature-id][data-state], #matches-note, #matches-empty), dialog#invalidate-dialog > form#invalidate-form
// (#invalidate-dialog-condition, #invalidate-dialog-summary, #invalidate-changed, textarea#invalidate-reason,
// #invalidate-error, #invalidate-confirm, [data-close]), #invalidations-body > tr[data-invalidation-id],
// #invalidations-empty, #invalidations-reload, #signatures-alert (role=alert), #signatures-status.

import { Announcer } from './announcer.js';
import { apiClient } from './api.js';
import { clearMessage, h, setFieldError, showErrorSummary, showMessage, wireErrorSummaryLinks } from './dom.js';
import { isPage } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import {
  CONDITION_FIELDS, REASON_MAX, changedPreview, conditionFromForm, heldList, integrityErrorText, invalidatePayload,
  normaliseInvalidations, previewSummary, releasedText, searchResult, splitFieldErrors,
} from './signature-integrity-state.js';
import {
  clearAlert, heldFromPage, recordText, renderDialogPreview, renderHeld, renderInvalidations, renderPreviewChanged, renderResult,
  showAlert, signaturesElements,
} from './staff-signatures-view.js';

export const SEARCH_PATH = '/api/v1/signatures/search';
export const INVALIDATE_PATH = '/api/v1/signatures/invalidate';
export const RELEASE_PATH = '/api/v1/signatures/release';
export const INVALIDATIONS_PATH = '/api/v1/signatures/invalidations';

export function enhanceStaffSignatures({
  doc = globalThis.document,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
  formData = (form) => new FormData(form),
  t = pageTranslator(doc),
} = {}) {
  const el = signaturesElements(doc);
  const { form } = el;
  if (!el.main || !form || !fetchImpl) return null;
  const numbers = new Intl.NumberFormat(t.lang);
  const format = (n) => numbers.format(n);
  const ctx = { doc, t, format };
  const api = apiClient(fetchImpl);
  const announcer = el.status ? new Announcer(el.status, { intervalMs: 1500 }) : null;
  const say = (text) => announcer?.announce(text);
  const alert = (text) => showAlert(el, doc, text);
  if (el.main.dataset.confirmation === 'email' && el.heldHintEmail) el.heldHintEmail.hidden = false;

  // MARK: the held signatures

  let held = heldFromPage(el);
  const releasing = new Set();
  const drawHeld = () => renderHeld(el, held, releasing, ctx);

  async function loadHeld() {
    try {
      const body = await api(SEARCH_PATH, { method: 'POST', body: { states: ['held'] } });
      held = heldList(body?.preview);
      drawHeld();
      return true;
    } catch (error) {
      alert(integrityErrorText(t, error));
      return false;
    }
  }

  async function release(id) {
    if (releasing.has(id)) return;
    releasing.add(id);
    drawHeld();
    clearAlert(el);
    clearMessage(el.releaseResult);
    const hadFocus = el.heldList?.contains(doc.activeElement);
    try {
      const answer = await api(RELEASE_PATH, { method: 'POST', body: { petition_id: id } });
      releasing.delete(id);
      await loadHeld();
      const text = releasedText(t, answer, id, format);
      showMessage(doc, el.releaseResult, 'success', '', text, { focus: false });
      say(text);
      if (hadFocus) {
        const item = doc.getElementById(`held-${id}`);
        (item?.querySelector('button[data-action="release"]') ?? el.heldHeading)?.focus();
      }
      reloadSearchQuietly();
    } catch (error) {
      releasing.delete(id);
      drawHeld();
      alert(integrityErrorText(t, error));
    }
  }

  el.heldList?.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    const li = button?.closest('li[data-petition-id]');
    if (!button || !li || button.disabled) return;
    const id = Number(li.dataset.petitionId);
    if (button.dataset.action === 'release') release(id);
    else if (button.dataset.action === 'search') searchHeldOf(id);
  });

  function searchHeldOf(id) {
    form.reset();
    form.elements.namedItem('petition_id').value = String(id);
    for (const box of form.querySelectorAll('input[name="states"]')) box.checked = box.value === 'held';
    search({ focusResult: true });
  }

  // MARK: the search

  /** The last search that succeeded: its condition (what an invalidation sends) and its answer. */
  let current = null;
  let searching = false;

  function formValues() {
    const data = formData(form);
    const values = {};
    for (const key of CONDITION_FIELDS) values[key] = key === 'states' ? data.getAll('states') : (data.get(key) ?? '');
    // A half-typed date and time reads as '' (the browser's badInput): say so rather than search without it.
    for (const key of ['from', 'until']) if (fieldInput(key)?.validity?.badInput) values[key] = 'incomplete';
    return values;
  }

  function fieldInput(field) {
    return field === 'states' ? doc.getElementById('search-states') : doc.getElementById(`search-${field}`);
  }

  function clearSearchErrors() {
    clearMessage(el.searchErrors);
    for (const field of CONDITION_FIELDS) setFieldError(doc, fieldInput(field), null);
  }

  function showSearchErrors(fields, other = []) {
    const links = [];
    for (const field of CONDITION_FIELDS) {
      if (!fields[field]) continue;
      const input = fieldInput(field);
      setFieldError(doc, input, fields[field], { prefix: t('error_prefix') });
      links.push([field === 'states' ? 'search-state-counted' : input.id, fields[field]]);
    }
    showErrorSummary(doc, el.searchErrors, { title: t('error_summary_title'), links, messages: other });
  }

  async function search({ focusResult = false } = {}) {
    if (searching) return;
    const { condition, errors } = conditionFromForm(formValues(), { messages: { time: t('search_time_invalid') } });
    clearSearchErrors();
    clearAlert(el);
    if (Object.keys(errors).length > 0) {
      showSearchErrors(errors);
      return;
    }
    searching = true;
    form.setAttribute('aria-busy', 'true');
    if (el.searchSubmit) el.searchSubmit.disabled = true;
    try {
      const body = await api(SEARCH_PATH, { method: 'POST', body: condition });
      current = { condition, result: searchResult(body) };
      clearMessage(el.invalidateResult);
      renderResult(el, current.result, ctx);
      say(previewSummary(t, current.result.preview, format));
      if (focusResult) el.previewHeading?.focus();
    } catch (error) {
      const { fields, other } = splitFieldErrors(error);
      if (Object.keys(fields).length > 0) showSearchErrors(fields, other);
      else alert(integrityErrorText(t, error));
    } finally {
      searching = false;
      form.removeAttribute('aria-busy');
      if (el.searchSubmit) el.searchSubmit.disabled = false;
    }
  }

  /** After a release or an invalidation: the shown search again, as it is now (without moving focus). */
  async function reloadSearchQuietly() {
    if (!current) return;
    try {
      const body = await api(SEARCH_PATH, { method: 'POST', body: current.condition });
      current = { condition: current.condition, result: searchResult(body) };
      renderResult(el, current.result, ctx);
    } catch { /* the result shown stays; the next search refreshes it */ }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search({ focusResult: true });
  });
  form.addEventListener('reset', () => {
    clearSearchErrors();
  });
  el.searchClear?.addEventListener('click', () => {
    form.reset();
    form.elements.namedItem('petition_id')?.focus();
  });

  // MARK: invalidating

  let expectedTotal = null;
  let sending = false;
  let succeeded = false;

  function setDialogPreview(model) {
    expectedTotal = model.total;
    renderDialogPreview(el, model, ctx);
  }

  function openInvalidate() {
    if (!current || current.result.preview.empty || !el.dialog) return;
    clearAlert(el);
    succeeded = false;
    if (el.dialogCondition) el.dialogCondition.textContent = current.result.conditionText;
    el.dialogChanged?.replaceChildren();
    el.dialogError?.replaceChildren();
    setFieldError(doc, el.reason, null);
    setDialogPreview(current.result.preview);
    if (typeof el.dialog.showModal === 'function') el.dialog.showModal(); else el.dialog.setAttribute('open', '');
    el.reason?.focus();
  }

  function closeInvalidate() {
    if (!el.dialog?.open) return;
    if (typeof el.dialog.close === 'function') el.dialog.close();
    else { el.dialog.removeAttribute('open'); el.invalidateOpen?.focus(); }
  }

  el.invalidateOpen?.addEventListener('click', openInvalidate);
  el.dialog?.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-close]')) closeInvalidate();
  });
  el.dialog?.addEventListener('close', () => {
    // Focus goes back to the button that opened it, or (after success) to the record.
    if (succeeded && el.invalidateResult?.childElementCount) el.invalidateResult.focus();
    else if (el.invalidateOpen && !el.invalidateOpen.disabled) el.invalidateOpen.focus();
    else el.previewHeading?.focus();
  });

  el.dialogForm?.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending || !current) return;
    el.dialogError?.replaceChildren();
    setFieldError(doc, el.reason, null);
    const { body, error } = invalidatePayload(current.condition, el.reason?.value, expectedTotal);
    if (error) {
      setFieldError(doc, el.reason, t(error === 'reason_missing' ? 'invalidate_reason_missing' : 'invalidate_reason_too_long', { n: REASON_MAX }), { prefix: t('error_prefix') });
      el.reason?.focus();
      return;
    }
    sending = true;
    if (el.confirm) el.confirm.disabled = true;
    el.dialogForm.setAttribute('aria-busy', 'true');
    try {
      const record = await api(INVALIDATE_PATH, { method: 'POST', body });
      sending = false;
      succeeded = true;
      showRecord(record);
      closeInvalidate();
      if (el.reason) el.reason.value = '';
      await Promise.all([loadHeld(), reloadSearchQuietly(), loadInvalidations()]);
    } catch (failure) {
      sending = false;
      const fresh = changedPreview(failure);
      if (fresh) {
        // Someone signed, or another moderator acted: show what the condition matches now, and ask again.
        current = { ...current, result: { ...current.result, preview: fresh } };
        renderResult(el, current.result, ctx);
        setDialogPreview(fresh);
        renderPreviewChanged(el, fresh, ctx);
        (fresh.empty ? el.dialog?.querySelector('[data-close]') : el.confirm)?.focus();
        reloadSearchQuietly();
        return;
      }
      if (el.confirm) el.confirm.disabled = false;
      // The reason's error goes with the field; anything else (the condition, refused) in the dialog's alert.
      const { fields, other } = splitFieldErrors(failure, ['reason']);
      if (fields.reason) {
        setFieldError(doc, el.reason, fields.reason, { prefix: t('error_prefix') });
        el.reason?.focus();
      }
      if (!fields.reason || other.length > 0) {
        const text = other.length > 0 ? other.join(' ') : integrityErrorText(t, failure);
        el.dialogError?.replaceChildren(h(doc, 'p', { className: 'error-message', text }));
      }
    } finally {
      el.dialogForm.removeAttribute('aria-busy');
    }
  });

  function showRecord(record) {
    const text = recordText(t, record, format);
    showMessage(doc, el.invalidateResult, 'success', t('invalidated_heading'), `${text} ${t('invalidated_reason', { reason: record?.reason ?? '' })}`, { focus: false });
    if (el.invalidateResult && Number.isSafeInteger(record?.id)) el.invalidateResult.dataset.invalidationId = String(record.id);
    say(text);
  }

  // MARK: past invalidations

  async function loadInvalidations() {
    if (el.invalidationsLoading) el.invalidationsLoading.hidden = false;
    if (el.invalidationsReload) el.invalidationsReload.disabled = true;
    try {
      renderInvalidations(el, normaliseInvalidations(await api(INVALIDATIONS_PATH)), ctx);
      return true;
    } catch (error) {
      alert(integrityErrorText(t, error));
      return false;
    } finally {
      if (el.invalidationsLoading) el.invalidationsLoading.hidden = true;
      if (el.invalidationsReload) el.invalidationsReload.disabled = false;
    }
  }

  el.invalidationsReload?.addEventListener('click', () => { clearAlert(el); loadInvalidations(); });
  if (el.invalidationsReload) el.invalidationsReload.hidden = false;

  wireErrorSummaryLinks(doc);
  drawHeld();
  loadInvalidations();
  return { search, release, loadHeld, loadInvalidations, getCurrent: () => current };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'staff-signatures')) {
  enhanceStaffSignatures();
}
