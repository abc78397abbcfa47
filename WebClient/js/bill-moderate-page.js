// The moderator and clerk console of a bill (bill-moderate.mustache): the queue of submitted comments over /live
// (`bill:{id}:moderation`) with approve and reject (keys j/k/a/r), and the "now discussing" marker.

import { LiveSocket } from './live-socket.js';
import { api } from './api.js';
import { h, liveUrl, showConnection } from './dom.js';
import { queueOf } from './bill-view.js';

const doc = document;
const main = doc.querySelector('[data-page="bill-moderate"]');
let comments = new Map();
let selected = null;

function say(text) {
  const status = doc.getElementById('action-status');
  if (status) status.textContent = text;
}

function alertText(text) {
  const box = doc.getElementById('moderation-alert');
  if (box) box.textContent = text;
}

function render() {
  const list = doc.getElementById('queue-list');
  if (!list) return;
  const queue = queueOf([...comments.values()]);
  list.replaceChildren(...queue.map((c) => h(doc, 'li', {
    className: `mod-item${c.id === selected ? ' mod-item--selected' : ''}`, attrs: { id: `mod-comment-${c.id}`, 'aria-current': c.id === selected ? 'true' : null },
    dataset: { commentId: c.id },
  },
  c.anchor?.quote ? h(doc, 'blockquote', { text: c.anchor.quote.exact }) : null,
  h(doc, 'p', { className: 'mod-item__text', text: `${c.kind}: ${c.text}` }),
  c.proposed_text ? h(doc, 'p', { text: `Proposed: ${c.proposed_text}` }) : null,
  h(doc, 'p', { className: 'caption', text: `${c.anchor?.eId ?? 'whole bill'} · ${c.name ?? 'Anonymous'}` }),
  h(doc, 'button', { className: 'button button--small', text: 'Approve', attrs: { type: 'button', 'data-act': 'approve' } }),
  h(doc, 'button', { className: 'button button--small button--warning', text: 'Reject', attrs: { type: 'button', 'data-act': 'reject' } }))));
  const count = doc.getElementById('queue-count');
  if (count) count.textContent = String(queue.length);
  const empty = doc.getElementById('queue-empty');
  if (empty) empty.hidden = queue.length > 0;
  if (selected === null && queue.length > 0) selected = queue[0].id;
}

async function act(id, action) {
  const body = action === 'reject' ? { action, reason: doc.getElementById('reject-reason')?.value ?? '' } : { action };
  try {
    const answer = await api(`/api/v1/bill-comments/${id}/moderation`, { method: 'POST', body });
    comments.set(answer.comment.id, answer.comment);
    say(`Comment ${id}: ${answer.comment.state}.`);
    alertText('');
    render();
  } catch (error) {
    alertText(error.message || 'The action failed.');
  }
}

function move(step) {
  const queue = queueOf([...comments.values()]);
  if (queue.length === 0) return;
  const index = Math.max(0, queue.findIndex((c) => c.id === selected));
  selected = queue[Math.min(queue.length - 1, Math.max(0, index + step))].id;
  render();
  doc.getElementById(`mod-comment-${selected}`)?.scrollIntoView({ block: 'nearest' });
}

if (main) {
  const billId = main.dataset.billId;
  const live = new LiveSocket({
    url: liveUrl(location),
    onStateChange: (state) => showConnection(doc.getElementById('live-status'), state, {
      connecting: 'Connecting…', live: 'Live.', reconnecting: 'Reconnecting…', offline: 'Offline.', static: 'Not connected.',
    }),
  });
  live.subscribe(main.dataset.moderationTopic, {
    onSnapshot(data) {
      comments = new Map((data.comments ?? []).map((c) => [c.id, c]));
      render();
    },
    onEvent(name, data) {
      if (name === 'comment') {
        comments.set(data.id, data);
        render();
      }
    },
    onError(error) { alertText(error.message || 'This console cannot follow the bill.'); },
  });
  doc.getElementById('queue-list')?.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-act]');
    const item = event.target.closest('[data-comment-id]');
    if (button && item) act(Number(item.dataset.commentId), button.dataset.act);
  });
  doc.addEventListener('keydown', (event) => {
    if (event.target.closest('input, textarea, select') || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'j') move(1);
    else if (event.key === 'k') move(-1);
    else if ((event.key === 'a' || event.key === 'r') && selected !== null && main.dataset.canModerate === 'true') act(selected, event.key === 'a' ? 'approve' : 'reject');
  });
  doc.getElementById('marker-move')?.addEventListener('click', async () => {
    const value = doc.getElementById('marker-select').value;
    try {
      const answer = await api(`/api/v1/bills/${billId}/marker`, { method: 'POST', body: { eId: value === '' ? null : value } });
      say(answer.marker ? `Now discussing ${answer.marker.eId}.` : 'The marker is cleared.');
      alertText('');
    } catch (error) {
      alertText(error.message || 'The marker did not move.');
    }
  });
  doc.getElementById('report-freeze')?.addEventListener('click', async () => {
    try {
      const answer = await api(`/api/v1/bills/${billId}/report/freeze`, { method: 'POST' });
      const status = doc.getElementById('report-frozen-link');
      if (status) {
        status.replaceChildren('Frozen: ', h(doc, 'a', { className: 'link', text: `report ${answer.report.id}`, attrs: { href: answer.report.url } }),
          ` (SHA-256 ${answer.report.sha256}).`);
      }
      alertText('');
    } catch (error) {
      alertText(error.message || 'The report was not frozen.');
    }
  });
}
