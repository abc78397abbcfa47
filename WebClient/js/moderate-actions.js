// The moderation console's calls to the API (moderate-page.js wires them to keys, buttons and dialogs): a moderation
// (POST /api/v1/questions/{id}/moderation, bodies as in Protocol/HEARINGS.md §3), a claim taken or given back
// (POST / DELETE …/claim), the questions read again (GET /api/v1/sittings/{id}/questions) after a refusal that says
// the console is behind the server (404, 409), and a note to the chair (POST /api/v1/sittings/{id}/notes).
//
// Each question has at most one call under way (`isPending`): a key pressed twice sends once. What happened is said
// through `say` (the polite status line), a refusal is shown through `showAlert` (the server's message, else the
// page's words). No DOM here: the page passes what to do with the answers.

import { ApiError } from './api.js';
import { claimStatus } from './moderation-state.js';

/** i18n keys of the confirmations, by moderation action. */
export const DONE_KEYS = Object.freeze({
  approve: 'done_approve',
  reject: 'done_reject',
  edit: 'done_edit',
  merge: 'done_merge',
  tag: 'done_tag',
  priority: 'done_priority',
  release_votes: 'done_release_votes',
});

/** Refusals after which the console's copy of the questions is read again: the question is gone or has moved on. */
export const RELOAD_STATUSES = Object.freeze([404, 409]);

/** A short excerpt of a question for dialogs and confirmations. */
export function excerpt(text, max = 80) {
  const value = String(text ?? '').replace(/\s+/g, ' ').trim();
  return value.length <= max ? value : `${value.slice(0, max - 1).trimEnd()}…`;
}

/** What a failed call shows (pure): no answer at all, the server's message, else a general failure. */
export function actionErrorText(t, error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('network_failed');
    if (error.message) return error.message;
  }
  return t('action_failed');
}

/**
 * The console's actions. `api`: api.js's client; `me`: {id, name} of the signed-in moderator; `now()`: the clock (ms).
 * `onQuestion(question)`: the server's copy of a moderated question; `onClaim({question_id, claimed_by, until})`: a
 * claim taken or given back; `onQuestions(list)`: every question, read again; `onChange()`: something pending began
 * or ended (the page draws again). `say(text)`, `showAlert(text)`, `clearAlert()`: the page's status line and alert.
 */
export function moderationActions({
  api, t, sittingId, me, now = () => Date.now(),
  onQuestion = () => {}, onClaim = () => {}, onQuestions = () => {}, onChange = () => {},
  say = () => {}, showAlert = () => {}, clearAlert = () => {},
}) {
  const pending = new Set();
  const sitting = encodeURIComponent(sittingId);

  async function refreshQuestions() {
    try {
      const body = await api(`/api/v1/sittings/${sitting}/questions`, { method: 'GET' });
      if (Array.isArray(body?.questions)) onQuestions(body.questions);
    } catch { /* the topic's events will bring the truth */ }
  }

  function failed(error) {
    showAlert(actionErrorText(t, error));
    if (error instanceof ApiError && RELOAD_STATUSES.includes(error.status)) refreshQuestions();
  }

  /** Runs `call` for question `id` unless one is under way; `onChange` before and after. */
  async function once(id, call) {
    if (pending.has(id)) return false;
    clearAlert();
    pending.add(id);
    onChange();
    try {
      await call();
      return true;
    } catch (error) {
      failed(error);
      return false;
    } finally {
      pending.delete(id);
      onChange();
    }
  }

  return {
    isPending: (id) => pending.has(id),
    refreshQuestions,

    /** Sends a moderation `body` for `q`; true when the server took it. */
    moderate(q, body) {
      return once(q.id, async () => {
        const answer = await api(`/api/v1/questions/${q.id}/moderation`, { method: 'POST', body });
        if (answer?.question) onQuestion(answer.question);
        say(t(DONE_KEYS[body.action] ?? 'done_generic', { text: excerpt(q.text, 60) }));
      });
    },

    /** Claims `q`, or gives it back when the claim is mine. */
    toggleClaim(q) {
      const release = claimStatus(q, me, now()) === 'mine';
      return once(q.id, async () => {
        const answer = await api(`/api/v1/questions/${q.id}/claim`, { method: release ? 'DELETE' : 'POST', body: {} });
        if (release) onClaim({ question_id: q.id, claimed_by: null, until: null });
        else if (answer && typeof answer === 'object') onClaim({ question_id: q.id, claimed_by: answer.claimed_by, until: answer.until });
        say(release ? t('done_release') : t('done_claim'));
      });
    },

    /** Sends a note to the chair (`{text, question?}`); throws the refusal (the note dialog shows it). */
    async sendNote(body) {
      await api(`/api/v1/sittings/${sitting}/notes`, { method: 'POST', body });
      say(t('done_note'));
    },
  };
}
