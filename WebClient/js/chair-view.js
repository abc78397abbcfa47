// The chair's console drawn from chairView() (chair-state.js): each function updates one part of the page in place
// and knows nothing of sockets or the API. chair-page.js calls them; tests/chair-view.test.mjs runs them on the
// rendered template.

import { h, reconcileList } from './dom.js';
import { formatOffset, isoDuration } from './hearing-state.js';
import { displayName, sittingStateText, votesText } from './hearing-text.js';
import { sortedNotes, unreadCount } from './moderation-state.js';
import { presenceText } from './presence.js';

/** The console's elements by role (each may be missing: the functions then skip it). */
export function chairElements(doc) {
  const $ = (id) => doc.getElementById(id);
  return {
    main: $('main'), status: $('live-status'), viewers: $('viewer-count'), presence: $('presence-list'), alert: $('chair-alert'),
    sittingState: $('sitting-state'), start: $('start-sitting'), end: $('end-sitting'), endedNotice: $('sitting-ended-notice'),
    clock: $('stream-clock'), onScreenPanel: $('chair-on-screen'), onScreen: $('chair-on-screen-body'), answered: $('answered-button'),
    clear: $('clear-screen-button'), screenReason: $('screen-actions-reason'),
    queue: $('chair-queue'), queueEmpty: $('chair-queue-empty'), queueCount: $('chair-queue-count'), filter: $('chair-filter'), pullNext: $('pull-next'),
    backlog: $('moderation-backlog'),
    answeredList: $('answered-list'), answeredEmpty: $('answered-empty'),
    notes: $('notes-list'), notesEmpty: $('notes-empty'), unread: $('unread-count'),
    startDialog: $('start-dialog'), startConfirm: $('start-confirm'), endDialog: $('end-dialog'), endConfirm: $('end-confirm'),
    helpDialog: $('chair-help-dialog'), helpButton: $('chair-help-button'),
  };
}

export function setText(node, text) {
  if (node && node.textContent !== String(text ?? '')) node.textContent = String(text ?? '');
}

/** The state tag, start/end buttons, the ended notice, and why the screen's actions wait. */
export function renderSitting(el, view, t) {
  const s = view.sittingState;
  if (el.main) el.main.dataset.state = s;
  if (el.sittingState) {
    el.sittingState.className = `tag tag--${s}`;
    el.sittingState.dataset.state = s;
    setText(el.sittingState, sittingStateText(t, s));
  }
  if (el.start) { el.start.hidden = view.startHidden; el.start.disabled = false; }
  if (el.end) { el.end.hidden = view.endHidden; el.end.disabled = false; }
  if (el.endedNotice) el.endedNotice.hidden = view.endedNoticeHidden;
  if (el.screenReason) {
    el.screenReason.hidden = view.screen.enabled;
    setText(el.screenReason, view.screen.reasonKey ? t(view.screen.reasonKey) : '');
  }
}

export function renderClock(el, seconds) {
  if (!el.clock) return;
  setText(el.clock, seconds === null ? '-:--' : formatOffset(seconds));
  el.clock.setAttribute('datetime', isoDuration(seconds ?? 0));
}

/** A disabled screen action points at the reason (`#screen-actions-reason`); an enabled one does not. */
function describeWait(button, view) {
  if (!button) return;
  const ids = (button.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && id !== 'screen-actions-reason');
  if (!view.screen.enabled) ids.push('screen-actions-reason');
  if (ids.length) button.setAttribute('aria-describedby', ids.join(' ')); else button.removeAttribute('aria-describedby');
}

export function renderOnScreen(doc, el, view, { t, numbers }) {
  const q = view.onScreen;
  if (el.onScreenPanel) el.onScreenPanel.dataset.empty = String(!q);
  if (el.onScreen) {
    if (!q) {
      if (!el.onScreen.querySelector('#chair-on-screen-empty')) {
        el.onScreen.replaceChildren(h(doc, 'div', { className: 'chair-on-screen__empty', attrs: { id: 'chair-on-screen-empty' } },
          h(doc, 'p', { className: 'chair-on-screen__empty-title', text: t('chair_on_screen_none') }),
          h(doc, 'p', { className: 'chair-on-screen__empty-hint', text: t('chair_on_screen_hint') })));
      }
    } else {
      el.onScreen.replaceChildren(
        h(doc, 'p', { className: 'chair-on-screen__text', attrs: { id: 'chair-on-screen-text' }, text: q.text }),
        h(doc, 'p', { className: 'question__meta' },
          h(doc, 'span', { className: 'question__name', text: displayName(t, q) }),
          h(doc, 'span', { className: 'question__region', text: q.region ?? '' }),
          h(doc, 'span', { className: 'question__tag', text: q.tag ?? '' }),
          h(doc, 'span', { className: 'question__votes-inline', text: votesText(t, numbers, q.votes) })),
      );
    }
  }
  if (el.answered) { el.answered.disabled = view.answeredDisabled; describeWait(el.answered, view); }
  if (el.clear) el.clear.disabled = view.clearDisabled;
}

/** The queue: one item per question with its put-on-screen button; the selected one is marked and focusable. */
export function renderQueue(doc, el, view, { t, numbers }) {
  const items = view.queue;
  if (el.queueEmpty) el.queueEmpty.hidden = items.length > 0;
  setText(el.queueCount, numbers.format(items.length));
  if (el.pullNext) { el.pullNext.disabled = view.pullNextDisabled; describeWait(el.pullNext, view); }
  if (!el.queue) return;
  reconcileList(el.queue, items, {
    key: (q) => q.id,
    elementKey: (li) => li.dataset.questionId,
    create: (q) => h(doc, 'li', { className: 'chair-item', dataset: { questionId: q.id }, attrs: { tabindex: '-1' } },
      h(doc, 'p', { className: 'chair-item__text', attrs: { id: `chair-q-${q.id}-text` } }),
      h(doc, 'p', { className: 'question__meta' },
        h(doc, 'span', { className: 'question__name' }),
        h(doc, 'span', { className: 'question__region' }),
        h(doc, 'span', { className: 'question__tag' }),
        h(doc, 'span', { className: 'chair-item__priority' }),
        h(doc, 'span', { className: 'question__votes-inline' })),
      h(doc, 'button', {
        className: 'button button--small put-on-screen',
        attrs: { type: 'button', 'aria-describedby': `chair-q-${q.id}-text` },
        dataset: { questionId: q.id },
        text: t('put_on_screen'),
      })),
    update: (li, q) => {
      setText(li.querySelector('.chair-item__text'), q.text);
      setText(li.querySelector('.question__name'), displayName(t, q));
      setText(li.querySelector('.question__region'), q.region ?? '');
      setText(li.querySelector('.question__tag'), q.tag ?? '');
      setText(li.querySelector('.chair-item__priority'), q.priority ? t('priority_value', { n: q.priority }) : '');
      setText(li.querySelector('.question__votes-inline'), votesText(t, numbers, q.votes));
      const selected = q.id === view.selectedId;
      if (selected) li.setAttribute('aria-current', 'true'); else li.removeAttribute('aria-current');
      li.setAttribute('tabindex', selected ? '0' : '-1');
      const button = li.querySelector('.put-on-screen');
      button.disabled = view.putOnScreenDisabled;
      const ids = [`chair-q-${q.id}-text`].concat(view.screen.enabled ? [] : ['screen-actions-reason']);
      button.setAttribute('aria-describedby', ids.join(' '));
    },
  });
}

/** The moderation backlog: how many questions wait for the moderators (hidden until the staff topic has synced). */
export function renderBacklog(el, view, { t, numbers }) {
  if (!el.backlog) return;
  const n = view.backlog;
  el.backlog.hidden = n === null;
  if (n === null) return;
  el.backlog.dataset.count = String(n);
  setText(el.backlog, n === 0 ? t('moderation_backlog_none') : t.plural('moderation_backlog', n, { n: numbers.format(n) }));
}

export function renderAnswered(doc, el, view) {
  const items = view.answered;
  if (el.answeredEmpty) el.answeredEmpty.hidden = items.length > 0;
  if (!el.answeredList) return;
  reconcileList(el.answeredList, items, {
    key: (q) => q.id,
    elementKey: (li) => li.dataset.questionId,
    create: (q) => h(doc, 'li', { className: 'answered-item', dataset: { questionId: q.id } },
      h(doc, 'time', { className: 'answered-item__time' }),
      h(doc, 'span', { className: 'answered-item__text' })),
    update: (li, q) => {
      const time = li.querySelector('.answered-item__time');
      const offset = q.answered_offset_seconds;
      setText(time, Number.isFinite(offset) ? formatOffset(offset) : '');
      time.setAttribute('datetime', isoDuration(Number.isFinite(offset) ? offset : 0));
      setText(li.querySelector('.answered-item__text'), q.text);
    },
  });
}

/** The backstage notes, newest first, unread ones marked; `questionText(id)` names the question a note is about. */
export function renderNotes(doc, el, staff, { t, numbers, clockFormat, questionText }) {
  const notes = sortedNotes(staff);
  const unread = unreadCount(staff);
  if (el.unread) {
    setText(el.unread, unread > 0 ? t.plural('unread_notes', unread, { n: numbers.format(unread) }) : '');
    el.unread.hidden = unread === 0;
  }
  if (el.notesEmpty) el.notesEmpty.hidden = notes.length > 0;
  if (!el.notes) return;
  reconcileList(el.notes, notes, {
    key: (n) => n.id,
    elementKey: (li) => li.dataset.noteId,
    create: (n) => h(doc, 'li', { className: 'note', dataset: { noteId: n.id } },
      h(doc, 'p', { className: 'note__meta' },
        h(doc, 'span', { className: 'note__author' }), ' ',
        h(doc, 'time', { className: 'note__time' })),
      h(doc, 'p', { className: 'note__text', attrs: { id: `note-${n.id}-text` } }),
      h(doc, 'p', { className: 'note__about' }),
      h(doc, 'button', {
        className: 'button button--small button--secondary mark-read',
        attrs: { type: 'button', 'aria-describedby': `note-${n.id}-text` },
        dataset: { noteId: n.id },
        text: t('mark_read'),
      })),
    update: (li, n) => {
      li.classList.toggle('note--unread', !n.read_at);
      setText(li.querySelector('.note__author'), n.author?.name ?? '');
      const time = li.querySelector('.note__time');
      const at = Date.parse(n.created_at);
      setText(time, Number.isNaN(at) ? '' : clockFormat.format(at));
      if (n.created_at) time.setAttribute('datetime', n.created_at);
      setText(li.querySelector('.note__text'), n.text);
      const about = Number.isSafeInteger(n.question) ? questionText(n.question) : null;
      setText(li.querySelector('.note__about'), about ? t('note_about', { text: about }) : '');
      li.querySelector('.mark-read').hidden = Boolean(n.read_at);
    },
  });
}

/** The staff present, each with their role in the page's words. */
export function renderPresence(doc, el, staff, t) {
  if (!el.presence) return;
  el.presence.replaceChildren(...staff.staff.map((s) => h(doc, 'li', { className: 'presence__item', text: presenceText(t, s) })));
}

export function renderViewers(el, viewers, { t, numbers }) {
  if (!el.viewers) return;
  el.viewers.hidden = false;
  setText(el.viewers, t.plural('viewers', viewers, { n: numbers.format(viewers) }));
}

export function showAlert(doc, el, text) {
  if (!el.alert) return;
  el.alert.replaceChildren(h(doc, 'p', { text }));
  el.alert.classList.add('inline-alert--shown');
}

export function clearAlert(el) {
  if (!el.alert) return;
  el.alert.replaceChildren();
  el.alert.classList.remove('inline-alert--shown');
}
