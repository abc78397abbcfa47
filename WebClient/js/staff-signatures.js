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
import { clearMessage, h, reconcileList, setFieldError, showErrorSummary, showMessage, wireErrorSummaryLinks } from './dom.js';
import { isPage } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import { formatDateTime } from './petition-moderation-state.js';
import {
  CONDITION_FIELDS, REASON_MAX, changedPreview, conditionFromForm, heldList, integrityErrorText, invalidatePayload,
  normaliseInvalidations, previewModel, previewSummary, releasedText, searchResult, signatureStateText,
  splitFieldErrors,
} from './signature-integrity-state.js';

export const SEARCH_PATH = '/api/v1/signatures/search';
export const INVALIDATE_PATH = '/api/v1/signatures/invalidate';
export const RELEASE_PATH = '/api/v1/signatures/release';
export const INVALIDATIONS_PATH = '/api/v1/signatures/invalidations';

export function enhanceStaffSignatures({
  doc = globalThis.document,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
} = {}) {
  const $ = (id) => doc.getElementById(id);
  const main = $('main');
  const form = $('search-form');
  if (!main || !form || !fetchImpl) return null;
  const t = pageTranslator(doc);
  const numbers = new Intl.NumberFormat(t.lang);
  const format = (n) => numbers.format(n);
  const api = apiClient(fetchImpl);
  const el = {
    alert: $('signatures-alert'),
    status: $('signatures-status'),
    heldHeading: $('held-heading'),
    heldList: $('held-list'),
    heldEmpty: $('held-empty'),
    releaseResult: $('release-result'),
    searchErrors: $('search-errors'),
    searchSubmit: $('search-submit'),
    preview: $('preview-section'),
    previewHeading: $('preview-heading'),
    previewCondition: $('preview-condition'),
    previewSummary: $('preview-summary'),
    previewBody: $('preview-petitions-body'),
    previewWrap: $('preview-petitions-wrap'),
    invalidateOpen: $('invalidate-open'),
    invalidateResult: $('invalidate-result'),
    matchesBody: $('matches-body'),
    matchesWrap: $('matches-wrap'),
    matchesNote: $('matches-note'),
    matchesEmpty: $('matches-empty'),
    dialog: $('invalidate-dialog'),
    dialogForm: $('invalidate-form'),
    dialogCondition: $('invalidate-dialog-condition'),
    dialogSummary: $('invalidate-dialog-summary'),
    dialogChanged: $('invalidate-changed'),
    reason: $('invalidate-reason'),
    dialogError: $('invalidate-error'),
    confirm: $('invalidate-confirm'),
    invalidationsBody: $('invalidations-body'),
    invalidationsWrap: $('invalidations-wrap'),
    invalidationsEmpty: $('invalidations-empty'),
    invalidationsLoading: $('invalidations-loading'),
    invalidationsReload: $('invalidations-reload'),
  };
  const announcer = el.status ? new Announcer(el.status, { intervalMs: 1500 }) : null;
  const say = (text) => announcer?.announce(text);
  if (main.dataset.confirmation === 'email') { const hint = $('held-hint-email'); if (hint) hint.hidden = false; }

  // MARK: alerts

  function showAlert(text) {
    if (el.alert) el.alert.replaceChildren(h(doc, 'p', { text }));
  }
  function clearAlert() {
    el.alert?.replaceChildren();
  }

  // MARK: the held signatures

  let held = heldList([...(el.heldList?.querySelectorAll('li[data-petition-id]') ?? [])]
    .map((li) => ({ petition_id: li.dataset.petitionId, held: li.dataset.held })));
  const releasing = new Set();

  function createHeldItem(item) {
    const id = item.petition_id;
    const labelId = `held-${id}-label`;
    const button = (action, className, key) => h(doc, 'button', {
      className: `button button--small${className}`, attrs: { type: 'button', 'aria-describedby': labelId }, dataset: { action }, text: t(key),
    });
    return h(doc, 'li', { className: 'held-item', attrs: { id: `held-${id}` }, dataset: { petitionId: id } },
      h(doc, 'p', { className: 'held-item__label', attrs: { id: labelId } },
        h(doc, 'a', { className: 'link held-item__petition', attrs: { href: `/petitions/${id}` }, text: `${t('petition_label')} ${id}` }),
        ' ',
        h(doc, 'span', { className: 'held-item__count' }, `${t('held_count_label')} `, h(doc, 'strong', { className: 'held-item__number' }))),
      h(doc, 'div', { className: 'button-row held-item__actions', attrs: { role: 'group', 'aria-labelledby': labelId } },
        button('release', '', 'release_button'),
        button('search', ' button--secondary', 'search_held_button')));
  }

  function updateHeldItem(li, item) {
    li.dataset.held = String(item.held);
    const number = li.querySelector('.held-item__number');
    if (number) number.textContent = format(item.held);
    const busy = releasing.has(item.petition_id);
    if (busy) li.setAttribute('aria-busy', 'true'); else li.removeAttribute('aria-busy');
    for (const button of li.querySelectorAll('button[data-action]')) button.disabled = busy;
  }

  function renderHeld() {
    if (!el.heldList) return;
    reconcileList(el.heldList, held, {
      key: (item) => item.petition_id,
      elementKey: (li) => li.dataset.petitionId,
      create: createHeldItem,
      update: updateHeldItem,
    });
    if (el.heldEmpty) el.heldEmpty.hidden = held.length > 0;
  }

  async function loadHeld() {
    try {
      const body = await api(SEARCH_PATH, { method: 'POST', body: { states: ['held'] } });
      held = heldList(body?.preview);
      renderHeld();
      return true;
    } catch (error) {
      showAlert(integrityErrorText(t, error));
      return false;
    }
  }

  async function release(id) {
    if (releasing.has(id)) return;
    releasing.add(id);
    renderHeld();
    clearAlert();
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
        const item = $(`held-${id}`);
        (item?.querySelector('button[data-action="release"]') ?? el.heldHeading)?.focus();
      }
      reloadSearchQuietly();
    } catch (error) {
      releasing.delete(id);
      renderHeld();
      showAlert(integrityErrorText(t, error));
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
    const data = new FormData(form);
    const values = {};
    for (const key of CONDITION_FIELDS) values[key] = key === 'states' ? data.getAll('states') : (data.get(key) ?? '');
    // A half-typed date and time reads as '' (the browser's badInput): say so rather than search without it.
    for (const key of ['from', 'until']) if (fieldInput(key)?.validity?.badInput) values[key] = 'incomplete';
    return values;
  }

  function fieldInput(field) {
    return field === 'states' ? $('search-states') : $(`search-${field}`);
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
    clearAlert();
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
      renderResult();
      say(previewSummary(t, current.result.preview, format));
      if (focusResult) el.previewHeading?.focus();
    } catch (error) {
      const { fields, other } = splitFieldErrors(error);
      if (Object.keys(fields).length > 0) showSearchErrors(fields, other);
      else showAlert(integrityErrorText(t, error));
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
      renderResult();
    } catch { /* the result shown stays; the next search refreshes it */ }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search({ focusResult: true });
  });
  form.addEventListener('reset', () => {
    clearSearchErrors();
  });
  doc.getElementById('search-clear')?.addEventListener('click', () => {
    form.reset();
    form.elements.namedItem('petition_id')?.focus();
  });

  function renderResult() {
    if (!current || !el.preview) return;
    const { result } = current;
    const { preview } = result;
    el.preview.hidden = false;
    if (el.previewCondition) {
      el.previewCondition.textContent = result.conditionText ? t('preview_condition', { condition: result.conditionText }) : '';
    }
    if (el.previewSummary) el.previewSummary.textContent = previewSummary(t, preview, format);
    if (el.previewBody) {
      reconcileList(el.previewBody, preview.petitions, {
        key: (p) => p.petition_id,
        elementKey: (tr) => tr.dataset.petitionId,
        create: (p) => h(doc, 'tr', { dataset: { petitionId: p.petition_id } },
          h(doc, 'th', { attrs: { scope: 'row' } }, h(doc, 'a', { className: 'link', attrs: { href: `/petitions/${p.petition_id}` }, text: `${t('petition_label')} ${p.petition_id}` })),
          h(doc, 'td', { className: 'table__num', dataset: { stat: 'counted' } }),
          h(doc, 'td', { className: 'table__num', dataset: { stat: 'pending' } }),
          h(doc, 'td', { className: 'table__num', dataset: { stat: 'held' } })),
        update: (tr, p) => {
          for (const stat of ['counted', 'pending', 'held']) tr.querySelector(`[data-stat="${stat}"]`).textContent = format(p[stat]);
        },
      });
    }
    if (el.previewWrap) el.previewWrap.hidden = preview.petitions.length === 0;
    if (el.invalidateOpen) {
      el.invalidateOpen.disabled = preview.empty;
      el.invalidateOpen.textContent = preview.empty ? t('invalidate_button_none') : t.plural('invalidate_button', preview.total, { n: format(preview.total) });
    }
    renderMatches(result);
  }

  function renderMatches(result) {
    if (!el.matchesBody) return;
    reconcileList(el.matchesBody, result.signatures, {
      key: (s) => s.id,
      elementKey: (tr) => tr.dataset.signatureId,
      create: (s) => h(doc, 'tr', { dataset: { signatureId: s.id } },
        h(doc, 'th', { attrs: { scope: 'row' }, className: 'matches__name' }),
        h(doc, 'td', { className: 'matches__email' }),
        h(doc, 'td', { className: 'matches__ip' }),
        h(doc, 'td', { className: 'matches__postcode' }),
        h(doc, 'td', { className: 'matches__constituency' }),
        h(doc, 'td', {}, h(doc, 'span', { className: 'tag matches__state' })),
        h(doc, 'td', { className: 'matches__when' }, h(doc, 'time', { className: 'matches__created' }))),
      update: (tr, s) => {
        tr.dataset.state = s.state;
        const q = (selector) => tr.querySelector(selector);
        q('.matches__name').textContent = s.name;
        q('.matches__email').textContent = s.email;
        q('.matches__ip').textContent = s.ip ?? '—';
        q('.matches__postcode').textContent = s.postcode ?? '—';
        q('.matches__constituency').textContent = s.constituency ?? '—';
        const state = q('.matches__state');
        state.className = `tag tag--signature-${s.state} matches__state`;
        state.textContent = signatureStateText(t, s.state);
        const created = q('.matches__created');
        created.textContent = formatDateTime(s.created_at, t.lang) || s.created_at;
        if (s.created_at) created.setAttribute('datetime', s.created_at); else created.removeAttribute('datetime');
      },
    });
    const none = result.signatures.length === 0;
    if (el.matchesWrap) el.matchesWrap.hidden = none;
    if (el.matchesEmpty) el.matchesEmpty.hidden = !none;
    if (el.matchesNote) {
      el.matchesNote.hidden = !result.truncated;
      el.matchesNote.textContent = result.truncated ? t('matches_truncated', { n: format(result.listedAtMost), total: format(result.preview.total) }) : '';
    }
  }

  // MARK: invalidating

  let expectedTotal = null;
  let sending = false;
  let succeeded = false;

  function setDialogPreview(model) {
    expectedTotal = model.total;
    if (el.dialogSummary) el.dialogSummary.textContent = model.empty ? t('invalidate_nothing') : t.plural('invalidate_summary', model.total, { n: format(model.total), counted: format(model.counted) });
    if (el.confirm) {
      el.confirm.disabled = model.empty;
      el.confirm.textContent = model.empty ? t('invalidate_confirm_none') : t.plural('invalidate_confirm', model.total, { n: format(model.total) });
    }
  }

  function openInvalidate() {
    if (!current || current.result.preview.empty || !el.dialog) return;
    clearAlert();
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
        renderResult();
        setDialogPreview(fresh);
        el.dialogChanged?.replaceChildren(h(doc, 'p', { className: 'error-message', text: fresh.empty ? t('preview_changed_none') : t.plural('preview_changed', fresh.total, { n: format(fresh.total) }) }));
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
    const changed = previewModel(record?.changed);
    const at = formatDateTime(record?.at, t.lang);
    const text = t.plural('invalidated_record', changed.total, {
      n: format(changed.total), counted: format(changed.counted), id: String(record?.id ?? ''), at,
    });
    showMessage(doc, el.invalidateResult, 'success', t('invalidated_heading'), `${text} ${t('invalidated_reason', { reason: record?.reason ?? '' })}`, { focus: false });
    if (el.invalidateResult && Number.isSafeInteger(record?.id)) el.invalidateResult.dataset.invalidationId = String(record.id);
    say(text);
  }

  // MARK: past invalidations

  async function loadInvalidations() {
    if (el.invalidationsLoading) el.invalidationsLoading.hidden = false;
    if (el.invalidationsReload) el.invalidationsReload.disabled = true;
    try {
      const records = normaliseInvalidations(await api(INVALIDATIONS_PATH));
      if (el.invalidationsBody) {
        reconcileList(el.invalidationsBody, records, {
          key: (r) => r.id,
          elementKey: (tr) => tr.dataset.invalidationId,
          create: (r) => h(doc, 'tr', { dataset: { invalidationId: r.id } },
            h(doc, 'td', {}, h(doc, 'time', { className: 'invalidations__at' })),
            h(doc, 'td', { className: 'invalidations__reason' }),
            h(doc, 'td', { className: 'invalidations__condition' }),
            h(doc, 'td', { className: 'table__num invalidations__total' }),
            h(doc, 'td', { className: 'table__num invalidations__counted' })),
          update: (tr, r) => {
            const at = tr.querySelector('.invalidations__at');
            at.textContent = formatDateTime(r.at, t.lang) || r.at;
            if (r.at) at.setAttribute('datetime', r.at);
            tr.querySelector('.invalidations__reason').textContent = r.reason;
            tr.querySelector('.invalidations__condition').textContent = r.condition;
            tr.querySelector('.invalidations__total').textContent = format(r.changed.total);
            tr.querySelector('.invalidations__counted').textContent = format(r.changed.counted);
          },
        });
      }
      if (el.invalidationsWrap) el.invalidationsWrap.hidden = records.length === 0;
      if (el.invalidationsEmpty) el.invalidationsEmpty.hidden = records.length > 0;
      return true;
    } catch (error) {
      showAlert(integrityErrorText(t, error));
      return false;
    } finally {
      if (el.invalidationsLoading) el.invalidationsLoading.hidden = true;
      if (el.invalidationsReload) el.invalidationsReload.disabled = false;
    }
  }

  el.invalidationsReload?.addEventListener('click', () => { clearAlert(); loadInvalidations(); });
  if (el.invalidationsReload) el.invalidationsReload.hidden = false;

  wireErrorSummaryLinks(doc);
  renderHeld();
  loadInvalidations();
  return { search, release, loadHeld, loadInvalidations, getCurrent: () => current };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'staff-signatures')) {
  enhanceStaffSignatures();
}
