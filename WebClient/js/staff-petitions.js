// The petitions moderators' page (templates/staff-petitions.mustache, GET /staff/petitions; Protocol/PETITIONS.md
// §4). It needs JavaScript (the template says so in a <noscript>): it loads the petitions waiting for moderation
// (GET /api/v1/petitions/moderation-queue: sponsored and flagged, oldest first) and sends each decision to
// POST /api/v1/petitions/{id}/moderation as JSON ({"action":"publish"} | {"action":"reject","code","details"?} |
// {"action":"hide"} | {"action":"flag"}). A petition that leaves the queue is removed (focus goes to the next one);
// a flagged one stays with its new state. Confirmations go through a throttled Announcer; refusals (409
// petition_state_conflict when someone else moved it first, …) show the server's message in #petitions-alert, and
// a conflict reloads the queue so that every item is as the server says.
//
// DOM hooks: #main[data-page="staff-petitions"], ol#petition-queue > li.petition-item#petition-{id}
// [data-petition-id][data-state] (h3#petition-{id}-title, .petition-item__state, button[data-action=publish|reject|
// hide|flag]), #petition-queue-count, #petition-queue-empty, #petition-queue-loading, #petition-queue-reload,
// #petitions-alert (role=alert), #action-status (the announcer's live region), dialog#reject-dialog with
// form#reject-form (select#reject-code, textarea#reject-details, #reject-error, #reject-confirm, [data-close]).

import { Announcer } from './announcer.js';
import { ApiError, apiClient } from './api.js';
import { h, reconcileList } from './dom.js';
import { isPage } from './hearing-text.js';
import { pageTranslator } from './i18n.js';
import {
  PETITION_ACTIONS, PETITION_BUTTON_KEYS, PETITION_DONE_KEYS, actionsFor, applyModeration, focusAfterRemoval,
  formatDateTime, moderationErrorText, moderationPayload, normaliseQueue, petitionStateText, resultState, shorten,
} from './petition-moderation-state.js';

export const QUEUE_PATH = '/api/v1/petitions/moderation-queue';
export const moderationPath = (id) => `/api/v1/petitions/${encodeURIComponent(id)}/moderation`;

export function enhanceStaffPetitions({
  doc = globalThis.document,
  win = globalThis.window,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
} = {}) {
  const $ = (id) => doc.getElementById(id);
  const list = $('petition-queue');
  if (!list || !fetchImpl) return null;
  const t = pageTranslator(doc);
  const numbers = new Intl.NumberFormat(t.lang);
  const api = apiClient(fetchImpl);
  const el = {
    heading: $('petition-queue-heading'),
    count: $('petition-queue-count'),
    empty: $('petition-queue-empty'),
    loading: $('petition-queue-loading'),
    reload: $('petition-queue-reload'),
    alert: $('petitions-alert'),
    status: $('action-status'),
    dialog: $('reject-dialog'),
    form: $('reject-form'),
    code: $('reject-code'),
    details: $('reject-details'),
    rejectError: $('reject-error'),
    quote: $('reject-dialog-petition'),
  };
  const announcer = el.status ? new Announcer(el.status, { intervalMs: 1500 }) : null;
  const say = (text) => announcer?.announce(text);

  let petitions = [];
  let loaded = false;
  const busy = new Set();

  // MARK: rendering

  const itemOf = (id) => $(`petition-${id}`);

  function render() {
    reconcileList(list, petitions, {
      key: (p) => p.id,
      elementKey: (li) => li.dataset.petitionId,
      create: createItem,
      update: updateItem,
    });
    if (el.empty) el.empty.hidden = !loaded || petitions.length > 0;
    if (el.count) el.count.textContent = loaded ? numbers.format(petitions.length) : '';
  }

  function createItem(p) {
    const titleId = `petition-${p.id}-title`;
    const buttons = PETITION_ACTIONS.map((action) => h(doc, 'button', {
      className: `button button--small${action === 'publish' ? '' : action === 'reject' || action === 'hide' ? ' button--warning' : ' button--secondary'}`,
      attrs: { type: 'button', 'aria-describedby': titleId, 'aria-haspopup': action === 'reject' ? 'dialog' : null },
      dataset: { action },
      text: t(PETITION_BUTTON_KEYS[action]),
    }));
    return h(doc, 'li', { className: 'petition-item', attrs: { id: `petition-${p.id}` }, dataset: { petitionId: p.id } },
      h(doc, 'h3', { className: 'petition-item__title', attrs: { id: titleId, tabindex: '-1' } }),
      h(doc, 'p', { className: 'petition-item__meta' },
        h(doc, 'span', { className: 'tag petition-item__state' }),
        h(doc, 'span', { className: 'petition-item__creator' }),
        h(doc, 'span', { className: 'petition-item__signatures' }),
        h(doc, 'time', { className: 'petition-item__created' })),
      h(doc, 'p', { className: 'petition-item__background petition-text' }),
      h(doc, 'details', { className: 'details petition-item__details' },
        h(doc, 'summary', { className: 'details__summary', text: t('more_details') }),
        h(doc, 'p', { className: 'details__text petition-text' })),
      h(doc, 'div', { className: 'button-row petition-item__actions', attrs: { role: 'group', 'aria-label': t('petition_actions_label') } }, buttons));
  }

  function updateItem(li, p) {
    li.dataset.state = p.state;
    const q = (selector) => li.querySelector(selector);
    q('.petition-item__title').textContent = p.action;
    const tag = q('.petition-item__state');
    tag.className = `tag tag--${p.state} petition-item__state`;
    tag.textContent = petitionStateText(t, p.state);
    q('.petition-item__creator').textContent = p.creator_name ? t('created_by_name', { name: p.creator_name }) : '';
    q('.petition-item__signatures').textContent = t.plural('petition_signatures', p.signature_count, { n: numbers.format(p.signature_count) });
    const created = q('.petition-item__created');
    const createdText = formatDateTime(p.created_at, t.lang);
    created.textContent = createdText === '' ? '' : t('started_on', { date: createdText });
    if (createdText === '') created.removeAttribute('datetime'); else created.setAttribute('datetime', p.created_at);
    q('.petition-item__background').textContent = p.background;
    q('.details__text').textContent = p.additional_details;
    q('.petition-item__details').hidden = p.additional_details.trim() === '';
    const allowed = actionsFor(p.state);
    const working = busy.has(p.id);
    li.classList.toggle('petition-item--busy', working);
    if (working) li.setAttribute('aria-busy', 'true'); else li.removeAttribute('aria-busy');
    for (const button of li.querySelectorAll('button[data-action]')) {
      button.hidden = !allowed.includes(button.dataset.action);
      button.disabled = working;
    }
  }

  // MARK: alerts

  function showAlert(text) {
    if (el.alert) el.alert.replaceChildren(h(doc, 'p', { text }));
  }
  function clearAlert() {
    el.alert?.replaceChildren();
  }

  // MARK: loading

  async function load({ announce = false } = {}) {
    if (el.loading) el.loading.hidden = false;
    if (el.reload) el.reload.disabled = true;
    list.setAttribute('aria-busy', 'true');
    try {
      petitions = normaliseQueue(await api(QUEUE_PATH));
      loaded = true;
      render();
      if (announce) say(t.plural('petition_queue_length', petitions.length, { n: numbers.format(petitions.length) }));
      return true;
    } catch (error) {
      showAlert(moderationErrorText(t, error));
      return false;
    } finally {
      if (el.loading) el.loading.hidden = true;
      if (el.reload) el.reload.disabled = false;
      list.removeAttribute('aria-busy');
    }
  }

  // MARK: actions

  async function moderate(id, action, body) {
    const petition = petitions.find((p) => p.id === id);
    if (!petition || !body || busy.has(id)) return;
    busy.add(id);
    render();
    clearAlert();
    try {
      const answer = await api(moderationPath(id), { method: 'POST', body });
      busy.delete(id);
      const li = itemOf(id);
      const hadFocus = li?.contains(doc.activeElement) || doc.activeElement === doc.body || doc.activeElement === null;
      const ids = petitions.map((p) => p.id);
      petitions = applyModeration(petitions, id, resultState(action, answer));
      render();
      say(t(PETITION_DONE_KEYS[action], { text: shorten(petition.action, 60) }));
      if (itemOf(id)) {
        if (hadFocus) itemOf(id).querySelector('.petition-item__title')?.focus();
      } else if (hadFocus) {
        const next = focusAfterRemoval(ids, id);
        (next !== null ? itemOf(next)?.querySelector('.petition-item__title') : el.heading)?.focus();
      }
    } catch (error) {
      busy.delete(id);
      render();
      showAlert(moderationErrorText(t, error));
      // Someone else moved it first: show the queue as it is now (keeping the alert).
      if (error instanceof ApiError && (error.status === 409 || error.status === 404)) await load();
    }
  }

  list.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    const li = button?.closest('.petition-item');
    if (!button || !li || button.disabled) return;
    const id = Number(li.dataset.petitionId);
    const action = button.dataset.action;
    if (action === 'reject') openReject(id, button);
    else moderate(id, action, moderationPayload(action));
  });

  el.reload?.addEventListener('click', () => { clearAlert(); load({ announce: true }); });

  // MARK: the reject dialog

  let rejectTarget = null;
  let opener = null;

  function openReject(id, button) {
    const petition = petitions.find((p) => p.id === id);
    if (!petition || !el.dialog || !el.form) return;
    rejectTarget = id;
    opener = button;
    if (el.quote) el.quote.textContent = shorten(petition.action, 200);
    if (el.code) { el.code.value = ''; el.code.removeAttribute('aria-invalid'); }
    if (el.details) el.details.value = '';
    el.rejectError?.replaceChildren();
    if (typeof el.dialog.showModal === 'function') el.dialog.showModal(); else el.dialog.setAttribute('open', '');
    el.code?.focus();
  }

  function closeReject() {
    if (!el.dialog?.open) return;
    if (typeof el.dialog.close === 'function') el.dialog.close();
    else { el.dialog.removeAttribute('open'); restoreFocus(); }
  }

  function restoreFocus() {
    const target = opener?.isConnected ? opener : null;
    opener = null;
    target?.focus({ preventScroll: true });
  }

  el.dialog?.addEventListener('close', restoreFocus);
  el.dialog?.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-close]')) closeReject();
  });

  el.form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = moderationPayload('reject', { code: el.code?.value, details: el.details?.value });
    if (!body) {
      el.code?.setAttribute('aria-invalid', 'true');
      el.rejectError?.replaceChildren(h(doc, 'p', { className: 'error-message', text: t('petition_reject_choose_reason') }));
      el.code?.focus();
      return;
    }
    const id = rejectTarget;
    rejectTarget = null;
    closeReject();
    if (id !== null) moderate(id, 'reject', body);
  });

  if (el.reload) el.reload.hidden = false;
  load();
  return { load, getPetitions: () => petitions, moderate };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'staff-petitions')) {
  enhanceStaffPetitions();
}
