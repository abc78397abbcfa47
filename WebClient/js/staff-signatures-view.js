// The staff signatures page drawn (templates/staff-signatures.mustache): each function updates one part of the page in
// place from plain data (signature-integrity-state.js shapes it) and knows nothing of the API or of events.
// staff-signatures.js wires them; tests/staff-signatures.test.mjs runs them on the rendered template.
//
// `ctx` is { doc, t, format }: the document (to build elements), the page's translator, and a number formatter.

import { h, reconcileList } from './dom.js';
import { formatDateTime } from './petition-moderation-state.js';
import { heldList, previewModel, previewSummary, signatureStateText } from './signature-integrity-state.js';

/** The page's elements by role (each may be missing: the functions then skip it). */
export function signaturesElements(doc) {
  const $ = (id) => doc.getElementById(id);
  return {
    main: $('main'), form: $('search-form'), alert: $('signatures-alert'), status: $('signatures-status'),
    heldHeading: $('held-heading'), heldList: $('held-list'), heldEmpty: $('held-empty'), heldHintEmail: $('held-hint-email'),
    releaseResult: $('release-result'), searchErrors: $('search-errors'), searchSubmit: $('search-submit'), searchClear: $('search-clear'),
    preview: $('preview-section'), previewHeading: $('preview-heading'), previewCondition: $('preview-condition'),
    previewSummary: $('preview-summary'), previewBody: $('preview-petitions-body'), previewWrap: $('preview-petitions-wrap'),
    invalidateOpen: $('invalidate-open'), invalidateResult: $('invalidate-result'),
    matchesBody: $('matches-body'), matchesWrap: $('matches-wrap'), matchesNote: $('matches-note'), matchesEmpty: $('matches-empty'),
    dialog: $('invalidate-dialog'), dialogForm: $('invalidate-form'), dialogCondition: $('invalidate-dialog-condition'),
    dialogSummary: $('invalidate-dialog-summary'), dialogChanged: $('invalidate-changed'), reason: $('invalidate-reason'),
    dialogError: $('invalidate-error'), confirm: $('invalidate-confirm'),
    invalidationsBody: $('invalidations-body'), invalidationsWrap: $('invalidations-wrap'), invalidationsEmpty: $('invalidations-empty'),
    invalidationsLoading: $('invalidations-loading'), invalidationsReload: $('invalidations-reload'),
  };
}

export function showAlert(el, doc, text) {
  el.alert?.replaceChildren(h(doc, 'p', { text }));
}

export function clearAlert(el) {
  el.alert?.replaceChildren();
}

/** The held signatures the server rendered into the page (the list's `data-petition-id` and `data-held`). */
export function heldFromPage(el) {
  return heldList([...(el.heldList?.querySelectorAll('li[data-petition-id]') ?? [])]
    .map((li) => ({ petition_id: li.dataset.petitionId, held: li.dataset.held })));
}

function createHeldItem(item, { doc, t }) {
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

/** The held list: one item per petition with held signatures; a petition being released is busy (buttons disabled). */
export function renderHeld(el, held, releasing, ctx) {
  if (!el.heldList) return;
  reconcileList(el.heldList, held, {
    key: (item) => item.petition_id,
    elementKey: (li) => li.dataset.petitionId,
    create: (item) => createHeldItem(item, ctx),
    update: (li, item) => {
      li.dataset.held = String(item.held);
      const number = li.querySelector('.held-item__number');
      if (number) number.textContent = ctx.format(item.held);
      const busy = releasing.has(item.petition_id);
      if (busy) li.setAttribute('aria-busy', 'true'); else li.removeAttribute('aria-busy');
      for (const button of li.querySelectorAll('button[data-action]')) button.disabled = busy;
    },
  });
  if (el.heldEmpty) el.heldEmpty.hidden = held.length > 0;
}

/** A search's answer (`searchResult()`): the condition in words, the preview by petition, the invalidate button and
 *  the matching signatures. */
export function renderResult(el, result, ctx) {
  if (!result || !el.preview) return;
  const { t, doc, format } = ctx;
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
  renderMatches(el, result, ctx);
}

/** The newest matching signatures (personal data: the page is staff only); a note when the list is cut. */
export function renderMatches(el, result, { doc, t, format }) {
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

/** What the invalidation dialog says it will change, and its confirm button (disabled when nothing matches). */
export function renderDialogPreview(el, model, { t, format }) {
  if (el.dialogSummary) el.dialogSummary.textContent = model.empty ? t('invalidate_nothing') : t.plural('invalidate_summary', model.total, { n: format(model.total), counted: format(model.counted) });
  if (el.confirm) {
    el.confirm.disabled = model.empty;
    el.confirm.textContent = model.empty ? t('invalidate_confirm_none') : t.plural('invalidate_confirm', model.total, { n: format(model.total) });
  }
}

/** The dialog's note that the preview changed since it was opened (someone signed, another moderator acted). */
export function renderPreviewChanged(el, fresh, { doc, t, format }) {
  el.dialogChanged?.replaceChildren(h(doc, 'p', { className: 'error-message', text: fresh.empty ? t('preview_changed_none') : t.plural('preview_changed', fresh.total, { n: format(fresh.total) }) }));
}

/** The sentence that reports an invalidation record (POST /api/v1/signatures/invalidate's answer). */
export function recordText(t, record, format) {
  const changed = previewModel(record?.changed);
  return t.plural('invalidated_record', changed.total, {
    n: format(changed.total), counted: format(changed.counted), id: String(record?.id ?? ''), at: formatDateTime(record?.at, t.lang),
  });
}

/** The past invalidations (`normaliseInvalidations()`), newest first as the server sends them. */
export function renderInvalidations(el, records, { doc, t, format }) {
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
}
