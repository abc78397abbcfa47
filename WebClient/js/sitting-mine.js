// The participant's own questions and votes on the viewer page (pure; sitting-page.js wires them): what the API's
// answers mean for the list of my questions and the set of questions I voted for, what a moderation of one of mine
// says aloud, and the question I just asked as the list shows it before the server's word arrives.

/** What a moderation of one of my questions says aloud (`change` from hearing-state.js applyMineModerated), or null. */
export function mineAnnouncement(t, change) {
  if (change?.state === 'approved') return t('announce_mine_approved');
  if (change?.state === 'rejected') {
    return change.reason?.text ? t('announce_mine_rejected_reason', { reason: change.reason.text }) : t('announce_mine_rejected');
  }
  if (change?.state === 'merged') return t('announce_mine_merged');
  return null;
}

/**
 * My questions with the state and text of their published copies (`published`: id -> question, the live state's
 * questions): the same array when nothing changed, so the caller redraws only on a change.
 */
export function syncMineWithPublic(mine, published) {
  let changed = false;
  const next = mine.map((q) => {
    const copy = published.get(q.id);
    if (!copy || (copy.state === q.state && copy.text === q.text)) return q;
    changed = true;
    return { ...q, state: copy.state, text: copy.text };
  });
  return changed ? next : mine;
}

/** The answer to `GET …/questions?mine=1`: my questions, and the ids of those (of any) I voted for. */
export function mineFromAnswer(body) {
  const list = Array.isArray(body?.questions) ? body.questions : [];
  return {
    mine: list.filter((q) => q && Number.isSafeInteger(q.id) && q.mine !== false),
    voted: list.filter((q) => q?.voted && Number.isSafeInteger(q.id)).map((q) => q.id),
  };
}

/**
 * What the server put in the page for this viewer (`#hc-viewer`: `{"mine": [...], "voted": [ids]}`, the answers the
 * script would otherwise fetch as it starts): `{mine, voted}`, or null when the page has none or it is not that shape
 * (the script then asks the API).
 */
export function viewerFromPage(text) {
  let body;
  try { body = JSON.parse(text ?? ''); } catch { return null; }
  if (!body || !Array.isArray(body.mine) || !Array.isArray(body.voted)) return null;
  return {
    mine: mineFromAnswer({ questions: body.mine }).mine,
    voted: body.voted.filter((id) => Number.isSafeInteger(id)),
  };
}

/** The answer to `GET …/questions`: the ids I voted for and those I did not (others say nothing). */
export function votesFromAnswer(body) {
  const list = Array.isArray(body?.questions) ? body.questions : [];
  return {
    voted: list.filter((q) => q?.voted === true).map((q) => q.id),
    notVoted: list.filter((q) => q?.voted === false).map((q) => q.id),
  };
}

/** `voted` after the answer to a vote or an unvote of `id` (a new Set). */
export function votedAfterAnswer(voted, id, body) {
  const next = new Set(voted);
  if (body?.voted === true) next.add(id); else next.delete(id);
  return next;
}

/**
 * `voted` after a refused vote of `id`: `already_voted` and `not_voted` tell the truth about it (a new Set); any
 * other refusal is null (the caller shows it).
 */
export function votedAfterRefusal(voted, id, code) {
  if (code === 'already_voted') return new Set(voted).add(id);
  if (code === 'not_voted') { const next = new Set(voted); next.delete(id); return next; }
  return null;
}

/**
 * The question I just asked, from the answer to `POST …/questions` (`{question}` or `{id, state}`) and what I sent;
 * `submitted_at` is `now` when the answer does not say.
 */
export function askedQuestion(body, payload, now = new Date()) {
  if (body?.question && Number.isSafeInteger(body.question.id)) return { ...body.question };
  return { id: body?.id, state: body?.state ?? 'submitted', text: payload?.text, submitted_at: now.toISOString() };
}

/** `mine` with `question` in it (replacing its older copy), or unchanged when the question has no id. */
export function withMine(mine, question) {
  if (!Number.isSafeInteger(question?.id)) return mine;
  return [...mine.filter((q) => q.id !== question.id), question];
}

/** `mine` after withdrawing `id` (the state the server gave, `withdrawn` by default). */
export function withdrawnFrom(mine, id, state) {
  return mine.map((q) => (q.id === id ? { ...q, state: state ?? 'withdrawn' } : q));
}
