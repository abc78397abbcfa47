// The bill reading page (bill.mustache): live per-clause counts, comments and the "now discussing" marker over
// /live (`bill:{id}`), and commenting on a selected passage (mouse or touch). Without JavaScript the page still
// shows everything as of its loading, and each clause has its own comment form.

import { LiveSocket } from './live-socket.js';
import { api } from './api.js';
import { h, liveUrl, showConnection } from './dom.js';
import { carriedStatus, countNoun, countsFor, listIdOf, markerEId, newVersionNotice, passageSelectors } from './bill-view.js';
import { pageTranslator } from './i18n.js';

const doc = document;
const main = doc.querySelector('[data-page="bill"]');
const t = pageTranslator(doc);
// This reader's stance on each comment (the topic's comments are everyone's: it does not say).
const myStances = new Map();

function provisionOf(node) {
  const element = node?.nodeType === 1 ? node : node?.parentElement;
  return element?.closest?.('[data-text-of]') ?? null;
}

function applyCounts(counts) {
  for (const link of doc.querySelectorAll('.provision__counts')) {
    const c = countsFor(counts, link.dataset.key);
    for (const span of link.querySelectorAll('[data-count]')) span.textContent = String(c[span.dataset.count] ?? 0);
    // The nouns agree with their new counts ("1 comment", "2 comments").
    for (const span of link.querySelectorAll('[data-count-noun]')) {
      const noun = countNoun(t, span.dataset.countNoun, c[span.dataset.countNoun] ?? 0);
      if (noun !== null) span.textContent = noun;
    }
  }
}

// "Section 2 (c) (1)": the labels of the provisions whose eIds prefix this one (the enclosing ones, by the naming
// convention), outside in; "(1)" alone says nothing.
function labelOf(eId) {
  const label = doc.getElementById(eId)?.querySelector('.provision__label');
  return (label?.querySelector('strong')?.textContent ?? label?.firstChild?.textContent ?? '').trim();
}

function fullLabel(eId) {
  const parts = eId.split('__');
  const labels = parts.map((_, index) => labelOf(parts.slice(0, index + 1).join('__'))).filter((text) => text !== '');
  return labels.length > 0 ? labels.join(' ') : eId;
}

function applyMarker(marker) {
  const eId = markerEId(marker);
  for (const item of doc.querySelectorAll('.provision')) {
    const on = item.dataset.eid === eId;
    item.classList.toggle('provision--discussing', on);
    const tag = item.querySelector('.provision__now');
    if (tag) tag.hidden = !on;
  }
  const line = doc.getElementById('bill-marker');
  const link = doc.getElementById('bill-marker-link');
  if (!line || !link) return;
  line.hidden = eId === null;
  if (eId !== null) {
    link.href = `#${eId}`;
    link.textContent = fullLabel(eId);
  }
}

function metaText(comment) {
  const parts = [comment.name ?? t('bill_anonymous'), t('bill_supports_n', { n: comment.supports }), t('bill_opposes_n', { n: comment.opposes })];
  if (comment.during_discussion) parts.push(t('bill_written_during_markup'));
  const carried = carriedStatus(comment);
  if (carried) parts.push(`${carried} ${t('bill_from_earlier_version')}`);
  return parts.join(' · ');
}

function redlineElement(comment) {
  if (!Array.isArray(comment.redline)) return comment.proposed_text ? h(doc, 'p', { className: 'redline', text: comment.proposed_text }) : null;
  return h(doc, 'p', { className: 'redline' }, ...comment.redline.map((run) => (run.op === 'delete' ? h(doc, 'del', { text: run.text })
    : run.op === 'insert' ? h(doc, 'ins', { text: run.text }) : doc.createTextNode(String(run.text ?? '')))));
}

function stanceButton(comment, stance) {
  const mine = myStances.get(comment.id) === stance;
  return h(doc, 'button', {
    className: 'button button--secondary button--small stance-button', text: t(stance === 'support' ? 'bill_support' : 'bill_oppose'),
    attrs: { type: 'button', 'aria-pressed': mine ? 'true' : 'false', 'data-stance': stance },
  });
}

function commentElement(comment) {
  const quote = comment.anchor?.quote?.exact;
  const canStance = main?.dataset.canTakePart === 'true' && !comment.mine;
  return h(doc, 'li', { className: `bill-comment bill-comment--${comment.kind}`, attrs: { id: `bill-comment-${comment.id}` }, dataset: { commentId: comment.id } },
    quote ? h(doc, 'blockquote', { className: 'bill-comment__quote', text: quote }) : null,
    h(doc, 'p', { className: 'bill-comment__text', text: comment.text }),
    comment.kind === 'rewording' ? redlineElement(comment) : null,
    h(doc, 'p', { className: 'bill-comment__meta', text: metaText(comment) }),
    canStance ? h(doc, 'p', { className: 'stance-buttons' }, stanceButton(comment, 'support'), ' ', stanceButton(comment, 'oppose')) : null);
}

// Support or oppose a comment; the same button again clears the stance. The counts come back in the answer (and to
// every other reader as `clause_counts` and the comment's next event).
async function takeStance(item, stance) {
  const id = Number(item.dataset.commentId);
  const clear = myStances.get(id) === stance;
  try {
    const answer = await api(`/api/v1/bill-comments/${id}/stance`, clear ? { method: 'DELETE' } : { method: 'POST', body: { stance } });
    if (answer.my_stance) myStances.set(id, answer.my_stance); else myStances.delete(id);
    for (const button of item.querySelectorAll('button[data-stance]')) button.setAttribute('aria-pressed', String(button.dataset.stance === answer.my_stance));
    const meta = item.querySelector('.bill-comment__meta');
    const known = comments.get(id);
    if (known) {
      known.supports = answer.supports;
      known.opposes = answer.opposes;
      if (meta) meta.textContent = metaText(known);
    }
    announce(answer.my_stance ? t(answer.my_stance === 'support' ? 'bill_supported' : 'bill_opposed') : t('bill_stance_cleared'));
  } catch (error) {
    announce(error.message || t('bill_stance_failed'));
  }
}

// The public comments as the topic last gave them, by id.
const comments = new Map();

function placeComment(comment) {
  comments.set(comment.id, comment);
  const before = doc.getElementById(`bill-comment-${comment.id}`);
  // "This clause changed in version n" is for the comment's author only: the page drew it, the topic does not say.
  const notice = before?.querySelector('.bill-comment__changed');
  before?.remove();
  const listId = listIdOf(comment);
  const list = listId ? doc.getElementById(listId) : null;
  if (!list) return;
  const element = commentElement(comment);
  if (notice) element.append(notice);
  list.append(element);
}

function announce(text) {
  const region = doc.getElementById('live-announcer');
  if (region) region.textContent = text;
}

// The version this page shows, then the newest one announced: a repeated `version` (one per node) says nothing new.
let shownVersion = Number(main?.dataset.version ?? 0);

// A newer version was published (the clerk's command): say so in the polite live region, with a link to reload.
function announceVersion(data) {
  const notice = newVersionNotice(data, shownVersion);
  const region = doc.getElementById('bill-new-version');
  if (!notice || !region) return;
  shownVersion = notice.version;
  const line = h(doc, 'p', { className: 'notice notice--important bill-new-version' },
    t('bill_new_version', { version: String(notice.version) }), ' ',
    h(doc, 'a', { attrs: { href: notice.href, id: 'bill-new-version-reload' }, text: t('bill_new_version_reload') }));
  if (notice.changesHref) line.append(' · ', h(doc, 'a', { attrs: { href: notice.changesHref }, text: t('bill_new_version_changes') }));
  region.replaceChildren(line);
}

function startLive(topic) {
  const live = new LiveSocket({
    url: liveUrl(location),
    onStateChange: (state) => showConnection(doc.getElementById('live-status'), state, {
      connecting: t('bill_live_connecting'), live: t('bill_live_live'), reconnecting: t('bill_live_reconnecting'), offline: t('bill_live_offline'),
      static: t('bill_live_static'),
    }),
  });
  live.subscribe(topic, {
    onSnapshot(data) {
      applyCounts(data.counts);
      applyMarker(data.marker);
      for (const comment of data.comments ?? []) placeComment(comment);
    },
    onEvent(name, data) {
      if (name === 'clause_counts') applyCounts(data.counts);
      else if (name === 'version') announceVersion(data);
      else if (name === 'marker') {
        applyMarker(data.marker);
        if (data.marker) announce(t('bill_now_discussing_announce', { label: fullLabel(data.marker.eId) }));
      } else if (name === 'comment') placeComment(data);
      else if (name === 'comment_removed') {
        comments.delete(data.id);
        doc.getElementById(`bill-comment-${data.id}`)?.remove();
      }
    },
  });
}

// Commenting on a selected passage: a button appears under the selection (touch selections included, as the
// browser's own handles set them), and opens a small form.
function wireSelection(billId) {
  const button = h(doc, 'button', { className: 'button button--secondary passage-button', text: t('bill_comment_on_passage'), attrs: { type: 'button', id: 'passage-button', hidden: true } });
  const form = h(doc, 'form', { className: 'passage-form', attrs: { id: 'passage-form', hidden: true } },
    h(doc, 'p', { className: 'passage-form__quote', attrs: { id: 'passage-quote' } }),
    h(doc, 'label', { className: 'label', text: t('bill_your_comment'), attrs: { for: 'passage-text' } }),
    h(doc, 'textarea', { className: 'textarea', attrs: { id: 'passage-text', name: 'text', rows: 3, required: true } }),
    h(doc, 'label', { className: 'label', text: t('bill_proposed_optional'), attrs: { for: 'passage-proposed' } }),
    h(doc, 'textarea', { className: 'textarea', attrs: { id: 'passage-proposed', name: 'proposed_text', rows: 2 } }),
    h(doc, 'button', { className: 'button', text: t('bill_send_comment'), attrs: { type: 'submit', id: 'passage-send' } }),
    h(doc, 'p', { className: 'inline-alert', attrs: { id: 'passage-result', role: 'status' } }));
  main.append(button, form);
  let pending = null;
  const check = () => {
    const selection = doc.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { button.hidden = true; return; }
    const range = selection.getRangeAt(0);
    const box = provisionOf(range.startContainer);
    if (!box || box !== provisionOf(range.endContainer)) { button.hidden = true; return; }
    // Offsets in the provision's text as the page shows it: paragraphs joined with a line feed (its quotable text).
    const paragraphs = Array.from(box.querySelectorAll('p'));
    const offset = (node, at) => {
      let total = 0;
      for (const [index, p] of paragraphs.entries()) {
        if (p.contains(node)) {
          const r = doc.createRange();
          r.selectNodeContents(p);
          r.setEnd(node, at);
          return total + r.toString().length;
        }
        total += p.textContent.length + (index < paragraphs.length - 1 ? 1 : 0);
      }
      return null;
    };
    const text = paragraphs.map((p) => p.textContent).join('\n');
    const start = offset(range.startContainer, range.startOffset), end = offset(range.endContainer, range.endOffset);
    const selectors = start === null || end === null ? null : passageSelectors(text, start, end);
    if (!selectors) { button.hidden = true; return; }
    pending = { eId: box.dataset.textOf, ...selectors };
    box.after(button);
    button.hidden = false;
  };
  doc.addEventListener('selectionchange', () => setTimeout(check, 0));
  button.addEventListener('click', () => {
    if (!pending) return;
    doc.getElementById('passage-quote').textContent = `“${pending.quote.exact}”`;
    button.after(form);
    form.hidden = false;
    button.hidden = true;
    doc.getElementById('passage-text').focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!pending) return;
    const result = doc.getElementById('passage-result');
    const proposed = doc.getElementById('passage-proposed').value.trim();
    const body = { eId: pending.eId, kind: proposed ? 'rewording' : 'comment', text: doc.getElementById('passage-text').value, quote: pending.quote, position: pending.position };
    if (proposed) body.proposed_text = proposed;
    try {
      const answer = await api(`/api/v1/bills/${billId}/comments`, { method: 'POST', body });
      result.textContent = answer.state === 'published' ? t('bill_comment_published') : t('bill_comment_sent');
      doc.getElementById('passage-text').value = '';
      doc.getElementById('passage-proposed').value = '';
    } catch (error) {
      result.textContent = error.message || t('bill_comment_failed');
    }
  });
}

if (main) {
  startLive(main.dataset.topic);
  if (main.dataset.canTakePart === 'true') wireSelection(main.dataset.billId);
  doc.getElementById('provisions')?.addEventListener('click', (event) => {
    const button = event.target.closest?.('button[data-stance]');
    const item = button?.closest('[data-comment-id]');
    if (button && item) takeStance(item, button.dataset.stance);
  });
}
