// The moderation console drawn (templates/moderate.mustache): each function updates one part of the page in place
// from the moderation state's questions (moderation-state.js) and knows nothing of sockets, the API or the keyboard.
// moderate-page.js wires them; tests/moderate.test.mjs runs them on the rendered template.

import { h } from './dom.js';
import { displayName, sittingStateText, stateText, votesText } from './hearing-text.js';
import { claimStatus } from './moderation-state.js';
import { presenceText } from './presence.js';

/** The console's elements by role (each may be missing: the functions then skip it). */
export function moderateElements(doc) {
  const $ = (id) => doc.getElementById(id);
  return {
    main: $('main'), status: $('live-status'), viewers: $('viewer-count'), sittingState: $('sitting-state'), presence: $('presence-list'),
    alert: $('moderation-alert'), actionStatus: $('action-status'), actions: $('moderation-actions'), liveAnnouncer: $('live-announcer'),
    queue: $('queue-list'), queueEmpty: $('queue-empty'), queueCount: $('queue-count'),
    approved: $('approved-list'), approvedEmpty: $('approved-empty'), approvedCount: $('approved-count'),
  };
}

export function setText(node, text) {
  if (node && node.textContent !== String(text ?? '')) node.textContent = String(text ?? '');
}

/** A new, empty item of a list (`updateModerationItem` fills it). */
export function createModerationItem(doc, t, q) {
  return h(doc, 'li', { className: 'mod-item', attrs: { id: `mod-q-${q.id}`, tabindex: '-1' }, dataset: { questionId: q.id } },
    h(doc, 'p', { className: 'mod-item__text' }),
    h(doc, 'p', { className: 'mod-item__original' },
      h(doc, 'span', { className: 'mod-item__label', text: t('original_text') }), ' ',
      h(doc, 'span', { className: 'mod-item__original-text' })),
    h(doc, 'p', { className: 'mod-item__meta' },
      h(doc, 'span', { className: 'mod-item__name' }),
      h(doc, 'span', { className: 'mod-item__region' }),
      h(doc, 'span', { className: 'mod-item__participant' }),
      h(doc, 'span', { className: 'mod-item__votes' }),
      h(doc, 'span', { className: 'mod-item__held' }),
      h(doc, 'span', { className: 'mod-item__tag' }),
      h(doc, 'span', { className: 'mod-item__priority' }),
      h(doc, 'span', { className: 'mod-item__state' })),
    h(doc, 'p', { className: 'mod-item__claim' }));
}

/**
 * An item as the question is now: text (and the original when edited), author, votes and held votes, tag, priority,
 * state when neither submitted nor approved, who claims it (`me`, `now` decide mine/other/none), busy while an action
 * on it is under way.
 */
export function updateModerationItem(li, q, { t, numbers, me, now, busy = false }) {
  li.dataset.state = q.state;
  setText(li.querySelector('.mod-item__text'), q.text);
  const original = li.querySelector('.mod-item__original');
  const hasOriginal = typeof q.original_text === 'string' && q.original_text !== '' && q.original_text !== q.text;
  original.hidden = !hasOriginal;
  setText(li.querySelector('.mod-item__original-text'), hasOriginal ? q.original_text : '');
  setText(li.querySelector('.mod-item__name'), displayName(t, q));
  setText(li.querySelector('.mod-item__region'), q.region ?? '');
  setText(li.querySelector('.mod-item__participant'), q.participant ? t('participant_label', { participant: q.participant }) : '');
  setText(li.querySelector('.mod-item__votes'), votesText(t, numbers, q.votes));
  const held = q.held_votes ?? 0;
  li.dataset.heldVotes = String(held);
  setText(li.querySelector('.mod-item__held'), held > 0 ? t.plural('held_votes', held, { n: numbers.format(held) }) : '');
  setText(li.querySelector('.mod-item__tag'), q.tag ? t('tag_label', { tag: q.tag }) : '');
  setText(li.querySelector('.mod-item__priority'), q.priority ? t('priority_value', { n: q.priority }) : '');
  setText(li.querySelector('.mod-item__state'), q.state === 'submitted' || q.state === 'approved' ? '' : stateText(t, q.state));
  const claim = claimStatus(q, me, now);
  li.dataset.claim = claim;
  li.classList.toggle('mod-item--claimed-other', claim === 'other');
  li.classList.toggle('mod-item--claimed-mine', claim === 'mine');
  li.classList.toggle('mod-item--busy', busy);
  if (busy) li.setAttribute('aria-busy', 'true'); else li.removeAttribute('aria-busy');
  let claimText = '';
  if (claim === 'other') claimText = t('claimed_by', { name: q.claimed_by.name });
  else if (claim === 'mine') claimText = t('claimed_by_you');
  setText(li.querySelector('.mod-item__claim'), claimText);
}

/**
 * The roving tabindex of a list: the selected item (or the first) is its one tab stop; the selected one is
 * aria-current, and marked active when its list is the one being worked in.
 */
export function applyRoving(listElement, { selected, ids, active }) {
  if (!listElement) return;
  const fallback = selected ?? ids[0] ?? null;
  for (const li of listElement.children) {
    const id = Number(li.dataset.questionId);
    li.tabIndex = id === fallback ? 0 : -1;
    const isSelected = id === selected;
    if (isSelected) li.setAttribute('aria-current', 'true'); else li.removeAttribute('aria-current');
    li.classList.toggle('mod-item--selected', isSelected);
    li.classList.toggle('mod-item--active', isSelected && active);
  }
}

/**
 * Pure: which action buttons work for the selected question `q` (null: none selected). Approve and reject only for a
 * submitted question, counting held votes only when some are held; note and help always; nothing but note and help
 * while an action on `q` is under way (`busy`).
 */
export function actionEnabled(action, q, { busy = false } = {}) {
  let enabled = true;
  if (['claim', 'edit', 'merge', 'tag', 'priority'].includes(action)) enabled = Boolean(q);
  if (['approve', 'reject'].includes(action)) enabled = Boolean(q) && q.state === 'submitted';
  if (action === 'release_votes') enabled = Boolean(q) && (q.held_votes ?? 0) > 0;
  return enabled && !(q !== null && busy && action !== 'note' && action !== 'help');
}

/** The action bar for the selected question; the claim button says Release when the claim is mine. */
export function renderActions(actionsElement, q, { t, me, now, busy = false }) {
  for (const button of actionsElement?.querySelectorAll('button[data-action]') ?? []) {
    const action = button.dataset.action;
    button.disabled = !actionEnabled(action, q, { busy });
    if (action === 'claim' && button.firstChild) {
      button.firstChild.textContent = `${claimStatus(q, me, now) === 'mine' ? t('button_release') : t('button_claim')} `;
    }
  }
}

/** The staff present, each with their role in the page's words. */
export function renderPresence(el, doc, staff, t) {
  el.presence?.replaceChildren(...staff.map((s) => h(doc, 'li', { className: 'presence__item', text: presenceText(t, s) })));
}

export function showAlert(el, doc, text) {
  if (!el.alert) return;
  el.alert.replaceChildren(h(doc, 'p', { text }));
  el.alert.classList.add('inline-alert--shown');
}

export function clearAlert(el) {
  if (!el.alert) return;
  el.alert.replaceChildren();
  el.alert.classList.remove('inline-alert--shown');
}

export function renderViewers(el, n, { t, numbers }) {
  if (!el.viewers || !Number.isSafeInteger(n)) return;
  el.viewers.hidden = false;
  el.viewers.textContent = t.plural('viewers', n, { n: numbers.format(n) });
}

export function renderSittingState(el, state, { t }) {
  if (!el.sittingState || typeof state !== 'string') return;
  el.sittingState.className = `tag tag--${state}`;
  el.sittingState.dataset.state = state;
  el.sittingState.textContent = sittingStateText(t, state);
}
