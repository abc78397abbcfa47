// The words of the hearing pages that depend on data: state names, display names, counters. Pure functions of a
// translator `t` (js/i18n.js) and the data; shared by the viewer, screen, moderation and chair pages.

/** i18n keys of the question states. */
export const QUESTION_STATE_KEYS = Object.freeze({
  submitted: 'question_state_submitted',
  approved: 'question_state_approved',
  rejected: 'question_state_rejected',
  on_screen: 'question_state_on_screen',
  answered: 'question_state_answered',
  merged: 'question_state_merged',
  withdrawn: 'question_state_withdrawn',
});

/** i18n keys of the sitting states. */
export const SITTING_STATE_KEYS = Object.freeze({
  scheduled: 'sitting_state_scheduled',
  live: 'sitting_state_live',
  ended: 'sitting_state_ended',
});

/** The display name of a question: its name, or "Anonymous". */
export function displayName(t, question) {
  return typeof question?.name === 'string' && question.name !== '' ? question.name : t('anonymous');
}

export function stateText(t, state) {
  return QUESTION_STATE_KEYS[state] ? t(QUESTION_STATE_KEYS[state]) : String(state ?? '');
}

export function sittingStateText(t, state) {
  return SITTING_STATE_KEYS[state] ? t(SITTING_STATE_KEYS[state]) : String(state ?? '');
}

/** The counter line under a textarea: {text, over} for `count` characters of `max`. */
export function counterText(t, count, max) {
  if (!(max > 0)) return { text: '', over: false };
  const left = max - count;
  if (left >= 0) return { text: t.plural('characters_left', left, { n: left }), over: false };
  return { text: t.plural('characters_over', -left, { n: -left }), over: true };
}

/** "4 votes" in the page's language. */
export function votesText(t, numbers, votes) {
  const n = Number.isSafeInteger(votes) ? votes : 0;
  return t.plural('votes', n, { n: numbers.format(n) });
}

/** True when this module's page is the one loaded: `<main id="main" data-page="…">`. */
export function isPage(doc, name) {
  return typeof doc !== 'undefined' && doc !== null && doc.getElementById?.('main')?.dataset?.page === name;
}
