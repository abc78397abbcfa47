// Pure parts of the bill reading page (bill-page.js wires them): the per-clause counts of a `counts` event, the
// marker, and the W3C Web Annotation selectors of a passage a reader selected. No DOM, no globals: node tests.

/** The counts of provision `key` in a `counts` map ({key: {total, rewordings, supports, …}}), zeros when absent. */
export function countsFor(counts, key) {
  const c = counts && typeof counts === 'object' ? counts[key] : undefined;
  const n = (v) => (Number.isSafeInteger(v) && v >= 0 ? v : 0);
  return { total: n(c?.total), rewordings: n(c?.rewordings), supports: n(c?.supports) };
}

/** The plural base of the noun after each count (`data-count-noun`): `bill_count_comments_one`, `_other`, … */
export const COUNT_NOUNS = Object.freeze({ total: 'bill_count_comments', rewordings: 'bill_count_rewordings', supports: 'bill_count_supports' });

/** The noun after count `name` when it is `n`, in the number `n` takes in the page's language (`t.plural`, as the
 * server chose it for the first drawing): "1 comment", "0 commentaire". Null for a name without a noun. */
export function countNoun(t, name, n) {
  return Object.hasOwn(COUNT_NOUNS, name) ? t.plural(COUNT_NOUNS[name], n) : null;
}

/** The eId the marker is on, or null. */
export function markerEId(marker) {
  return marker && typeof marker.eId === 'string' ? marker.eId : null;
}

const CONTEXT = 32;

/**
 * The selectors of the passage [start, end) of `text` (offsets in UTF-16 units, as the DOM gives them): the quote
 * with up to 32 code points of context on each side, and its position in code points (the Web Annotation model
 * counts code points; Protocol/LEGISLATION.md §3). Null for an empty or blank passage.
 */
export function passageSelectors(text, start, end) {
  if (typeof text !== 'string' || !(start >= 0) || !(end > start) || end > text.length) return null;
  const exact = text.slice(start, end);
  if (exact.trim() === '') return null;
  const before = Array.from(text.slice(0, start));
  const inside = Array.from(exact);
  const after = Array.from(text.slice(end));
  return {
    quote: { exact, prefix: before.slice(-CONTEXT).join(''), suffix: after.slice(0, CONTEXT).join('') },
    position: { start: before.length, end: before.length + inside.length },
  };
}

/** Whether a comment event belongs in the reader's list (published comments only). */
export function isShown(comment) {
  return comment != null && comment.state === 'published' && comment.anchor != null;
}

/**
 * Where a published comment goes on the page: the id of its clause's list (`comments-{eId}`), or of the list of
 * comments on the bill as a whole (`bill-level-comments`: a later version removed its clause). Null when it is not
 * shown.
 */
export function listIdOf(comment) {
  if (comment == null || comment.state !== 'published') return null;
  if (comment.anchor == null) return 'bill-level-comments';
  return typeof comment.anchor.eId === 'string' ? `comments-${comment.anchor.eId}` : null;
}

const ANCHOR_STATUSES = new Set(['exact', 'moved', 'orphaned']);

/** How a comment written on an earlier version was carried to this one (exact, moved, orphaned), or null. */
export function carriedStatus(comment) {
  return ANCHOR_STATUSES.has(comment?.anchor_status) ? comment.anchor_status : null;
}

/** The comments waiting for a moderator, oldest first. */
export function queueOf(comments) {
  return (comments ?? []).filter((c) => c && c.state === 'submitted').sort((a, b) => a.id - b.id);
}

const BILL_PATH = /^\/bills\/[1-9][0-9]*$/;
const CHANGES_PATH = /^\/bills\/[1-9][0-9]*\/versions\/[1-9][0-9]*\/changes$/;

/**
 * What the page says for a `version` event (Protocol/LEGISLATION.md §9.4): `{version, href, changesHref}` when the event
 * names a version newer than `shown` (the one on the page, or the last one announced) and a reading page of this
 * site; `changesHref` only when it is a changes page of this site. Null otherwise: an old or repeated announcement
 * (each node of several sends one), or a link that is not a path here.
 */
export function newVersionNotice(data, shown) {
  const version = data?.version;
  if (!Number.isSafeInteger(version) || !(version > (Number.isSafeInteger(shown) ? shown : 0))) return null;
  if (typeof data.url !== 'string' || !BILL_PATH.test(data.url)) return null;
  const changesHref = typeof data.changes_url === 'string' && CHANGES_PATH.test(data.changes_url) ? data.changes_url : null;
  return { version, href: data.url, changesHref };
}
