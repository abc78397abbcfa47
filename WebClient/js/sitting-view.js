// The viewer page's views (sitting-page.js wires them): what a question, one of the participant's own questions and
// the on-screen banner show, as plain objects computed from state (pure, tested alone), and the functions that build
// or update their DOM from those objects (no state of their own). The markup matches templates/sitting.mustache, so
// server-rendered items are updated in place.

import { h } from './dom.js';
import { displayName, stateText, votesText } from './hearing-text.js';

/**
 * What a question of the public list shows.
 * @param {object} q the question (hearing-state.js)
 * @param {{t: Function, numbers: Intl.NumberFormat, voted: Set<number>, votingNow: Set<number>, ended: boolean}} ctx
 */
export function questionView(q, { t, numbers, voted, votingNow, ended }) {
  return {
    id: q.id,
    state: q.state,
    votes: q.votes ?? 0,
    text: q.text ?? '',
    name: displayName(t, q),
    region: q.region ?? '',
    edited: Boolean(q.edited),
    tag: q.tag ?? '',
    stateClass: `question__state tag tag--${q.state}`,
    stateText: stateText(t, q.state),
    votesText: votesText(t, numbers, q.votes),
    // No votes once the sitting has ended or the question is answered.
    voteHidden: ended || q.state === 'answered',
    pressed: voted.has(q.id),
    busy: votingNow.has(q.id),
  };
}

/** Why one of my questions is where it is (empty when nothing needs saying). */
export function mineReason(t, q) {
  if (q.state === 'rejected') return q.reason?.text ? t('rejected_because', { reason: q.reason.text }) : t('rejected_no_reason');
  if (q.state === 'merged') return t('merged_explanation');
  if (q.state === 'submitted') return t('waiting_explanation');
  return '';
}

/** What one of the participant's own questions shows. Only a question still waiting can be withdrawn. */
export function myQuestionView(t, q) {
  return {
    id: q.id,
    state: q.state,
    text: q.text ?? '',
    stateClass: `my-question__state tag tag--${q.state}`,
    stateText: stateText(t, q.state),
    reason: mineReason(t, q),
    canWithdraw: q.state === 'submitted',
  };
}

/** What the on-screen banner shows: null when nothing is on screen. */
export function bannerView(t, q) {
  return q ? { id: q.id, text: q.text ?? '', name: displayName(t, q), region: q.region ?? '' } : null;
}

/** Sets a node's text only when it changes (no needless mutation for screen readers). */
export function setText(node, text) {
  if (node && node.textContent !== String(text ?? '')) node.textContent = String(text ?? '');
}

/**
 * A new `li` of the public list (filled by `updateQuestionItem`). Without a participant there is nothing to vote
 * with: no button (the page says why).
 */
export function createQuestionItem(doc, q, { t, canTakePart, sittingId, csrfToken }) {
  const textId = `question-${q.id}-text`;
  return h(doc, 'li', { className: 'question', attrs: { id: `question-${q.id}` }, dataset: { questionId: q.id } },
    h(doc, 'p', { className: 'question__text', attrs: { id: textId } }),
    h(doc, 'p', { className: 'question__meta' },
      h(doc, 'span', { className: 'question__name' }),
      h(doc, 'span', { className: 'question__region' }),
      h(doc, 'span', { className: 'question__edited', text: t('edited_by_moderators') }),
      h(doc, 'span', { className: 'question__tag' }),
      h(doc, 'span', { className: 'question__state tag' })),
    h(doc, 'div', { className: 'question__vote' },
      h(doc, 'data', { className: 'question__votes', attrs: { id: `question-${q.id}-votes` } }),
      canTakePart ? h(doc, 'form', { className: 'vote-form', attrs: { method: 'post', action: `/sittings/${sittingId}/questions/${q.id}/vote` } },
        h(doc, 'input', { attrs: { type: 'hidden', name: 'csrf_token', value: csrfToken } }),
        h(doc, 'button', {
          className: 'button button--secondary vote-button',
          attrs: { type: 'submit', 'aria-describedby': textId },
          dataset: { questionId: q.id },
          text: t('vote'),
        })) : null));
}

/** Puts a `questionView` into its `li` (created here or by the server). */
export function updateQuestionItem(doc, li, view, t) {
  li.dataset.questionId = String(view.id);
  li.dataset.state = view.state;
  li.dataset.votes = String(view.votes);
  setText(li.querySelector('.question__text'), view.text);
  setText(li.querySelector('.question__name'), view.name);
  setText(li.querySelector('.question__region'), view.region);
  const edited = li.querySelector('.question__edited');
  if (edited) edited.hidden = !view.edited;
  else if (view.edited) li.querySelector('.question__region')?.after(h(doc, 'span', { className: 'question__edited', text: t('edited_by_moderators') }));
  setText(li.querySelector('.question__tag'), view.tag);
  const badge = li.querySelector('.question__state');
  if (badge) {
    badge.className = view.stateClass;
    setText(badge, view.stateText);
  }
  const votes = li.querySelector('.question__votes');
  if (votes) {
    votes.setAttribute('value', String(view.votes));
    setText(votes, view.votesText);
  }
  const form = li.querySelector('.vote-form');
  if (form) form.hidden = view.voteHidden;
  const button = li.querySelector('.vote-button');
  if (button) {
    button.setAttribute('aria-pressed', String(view.pressed));
    button.disabled = view.busy;
  }
}

/** A new `li` of my questions (filled by `updateMyQuestionItem`). */
export function createMyQuestionItem(doc, q, t) {
  return h(doc, 'li', { className: 'my-question', dataset: { questionId: q.id } },
    h(doc, 'p', { className: 'my-question__text' }),
    h(doc, 'p', { className: 'my-question__status' }, h(doc, 'span', { className: 'my-question__state tag' })),
    h(doc, 'p', { className: 'my-question__reason' }),
    h(doc, 'button', { className: 'button button--secondary button--small withdraw-button', attrs: { type: 'button' }, dataset: { questionId: q.id }, text: t('withdraw') }));
}

/** Puts a `myQuestionView` into its `li` (created here or by the server, whose withdraw button is in a form). */
export function updateMyQuestionItem(li, view) {
  li.dataset.state = view.state;
  setText(li.querySelector('.my-question__text'), view.text);
  const badge = li.querySelector('.my-question__state');
  if (badge) {
    badge.className = view.stateClass;
    setText(badge, view.stateText);
  }
  setText(li.querySelector('.my-question__reason'), view.reason);
  const withdraw = li.querySelector('.withdraw-button');
  const control = withdraw?.closest('.withdraw-form') ?? withdraw;
  if (control) control.hidden = !view.canWithdraw;
}

/** The banner's children for a `bannerView` (or the "nothing on screen" line). */
export function bannerChildren(doc, view, t) {
  if (!view) return [h(doc, 'p', { className: 'on-screen__empty', attrs: { id: 'on-screen-empty' }, text: t('on_screen_none') })];
  return [
    h(doc, 'p', { className: 'on-screen__text', attrs: { id: 'on-screen-text' }, text: view.text }),
    h(doc, 'p', { className: 'on-screen__who', attrs: { id: 'on-screen-who' } },
      h(doc, 'span', { className: 'question__name', text: view.name }),
      h(doc, 'span', { className: 'question__region', text: view.region })),
  ];
}
