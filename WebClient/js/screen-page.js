// The committee-room screen, for a projector or an OBS browser source (templates/screen.mustache,
// GET /sittings/{id}/screen), kept live from `sitting:{id}`: the sitting's state in words ("Live", "Starts at 14:00",
// "Starts on 24 December 2026 at 09:30", "Ended at 15:32"), the question on screen or a designed panel (waiting, not started, ended: never "on screen now"
// once the sitting has ended), the most supported questions, and the join address with its QR code (drawn by the
// server, /sittings/{id}/qr.svg). The connection is shown only when it is lost (a display has no one to read a status
// line). No interaction; nothing announced (it is a display, not a page people read with a screen reader).
//
// `screenView` is pure and tested alone; `enhanceScreenPage` only wires it to the DOM.
//
// DOM hooks: #main[data-topic][data-state][data-connection], #screen-state[data-state], #on-screen[data-question-id]
// (#on-screen-body, #on-screen-text, #on-screen-who), ol#top-list > li[data-question-id], #top-empty, #live-status.

import { ConnectionState } from './constants.js';
import { connectionTexts, h, liveUrl, reconcileList, showConnection, wireLifecycle } from './dom.js';
import { emptySittingState, reduceSitting, applySnapshot, topQuestions } from './hearing-state.js';
import { pageTranslator } from './i18n.js';
import { LiveSocket } from './live-socket.js';
import { displayName, isPage, votesText } from './hearing-text.js';
import { formatTime, pageTimeZone, timeFormat } from './time-text.js';

export const SCREEN_TOP = 5;

/**
 * What the screen shows for a sitting state: {state, badge, question (null when ended or none), top (empty when
 * ended)}. `time(ms)` formats a time of day and `date(ms)` a date (both in the parliament's zone); `isToday(ms)` says
 * whether a time falls on today there: a start or an end on another day is said with its date ("Starts on
 * 24 December 2026 at 09:30"), never as a bare time that reads as today's. `scheduledStart` (ISO 8601, from the page)
 * is when a scheduled sitting starts. `badge` is null when there is nothing better than the server's text.
 */
export function screenView(state, { t, time, date = null, isToday = () => true, scheduledStart = null }) {
  const sitting = state.sitting;
  const at = (iso, today, otherDay) => {
    if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return null;
    const ms = Date.parse(iso);
    return date && !isToday(ms) ? t(otherDay, { date: date(ms), time: time(ms) }) : t(today, { time: time(ms) });
  };
  let badge;
  if (sitting.state === 'live') badge = t('screen_live');
  else if (sitting.state === 'ended') badge = at(sitting.ended_at, 'screen_ended_at', 'screen_ended_on') ?? t('sitting_state_ended');
  else badge = at(scheduledStart, 'screen_starts_at', 'screen_starts_on');
  const ended = sitting.state === 'ended';
  return {
    state: sitting.state,
    badge,
    question: ended ? null : state.onScreen ?? null,
    top: ended ? [] : topQuestions(state, SCREEN_TOP),
  };
}

/**
 * The `time`, `date` and `isToday` that `screenView` takes, as the server writes them (TimeText): in the parliament's
 * time zone `zone` (`<html data-time-zone>`; undefined: the browser's) and the language `lang`; `now()` is the clock.
 */
export function screenTimes(lang, zone, now = () => Date.now()) {
  const clock = timeFormat(lang, zone, 'time');
  const day = timeFormat(lang, zone, 'date');
  return {
    time: (ms) => formatTime(clock, ms),
    date: (ms) => formatTime(day, ms),
    isToday: (ms) => formatTime(day, ms) === formatTime(day, now()),
  };
}

/** The type size of a question on screen by its length: `large` up to 120 characters, `medium` to 220, then `small`. */
export function textSize(text) {
  const length = [...String(text ?? '')].length;
  return length > 220 ? 'small' : length > 120 ? 'medium' : 'large';
}

export function enhanceScreenPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  now = () => Date.now(),
} = {}) {
  const main = doc.getElementById('main');
  const topic = main?.dataset.topic;
  if (!topic) return null;
  const t = pageTranslator(doc);
  const numbers = new Intl.NumberFormat(t.lang);
  const times = screenTimes(t.lang, pageTimeZone(doc), now);
  const banner = doc.getElementById('on-screen');
  const body = doc.getElementById('on-screen-body');
  const badge = doc.getElementById('screen-state');
  const list = doc.getElementById('top-list');
  const topEmpty = doc.getElementById('top-empty');
  const status = doc.getElementById('live-status');
  let state = emptySittingState(Number(main.dataset.sittingId));
  state = { ...state, sitting: { ...state.sitting, state: main.dataset.state ?? state.sitting.state } };

  function render() {
    const view = screenView(state, {
      t,
      ...times,
      scheduledStart: badge?.dataset.start ?? null,
    });
    main.dataset.state = view.state;
    if (badge) {
      badge.dataset.state = view.state;
      if (view.badge !== null && badge.textContent !== view.badge) badge.textContent = view.badge;
    }
    const q = view.question;
    if (banner) banner.dataset.questionId = q ? String(q.id) : '';
    if (body) {
      const current = body.querySelector('#on-screen-text');
      if (!q) {
        body.replaceChildren();
      } else if (!current || banner.dataset.renderedId !== String(q.id) || current.textContent !== q.text) {
        body.replaceChildren(
          h(doc, 'p', { className: 'screen__text', attrs: { id: 'on-screen-text' }, dataset: { size: textSize(q.text) }, text: q.text }),
          h(doc, 'p', { className: 'screen__who', attrs: { id: 'on-screen-who' } },
            h(doc, 'span', { className: 'question__name', text: displayName(t, q) }),
            h(doc, 'span', { className: 'question__region', text: q.region ?? '' })),
        );
      }
      if (banner) banner.dataset.renderedId = q ? String(q.id) : '';
    }
    if (!list) return;
    if (topEmpty) topEmpty.hidden = view.top.length > 0;
    reconcileList(list, view.top, {
      key: (item) => item.id,
      elementKey: (li) => li.dataset.questionId,
      create: (item) => h(doc, 'li', { className: 'screen__item', dataset: { questionId: item.id } },
        h(doc, 'span', { className: 'screen__item-text' }),
        h(doc, 'span', { className: 'screen__item-meta' },
          h(doc, 'span', { className: 'question__name' }),
          h(doc, 'span', { className: 'question__region' })),
        h(doc, 'span', { className: 'screen__item-votes' })),
      update: (li, item) => {
        li.dataset.questionId = String(item.id);
        li.querySelector('.screen__item-text').textContent = item.text;
        li.querySelector('.question__name').textContent = displayName(t, item);
        li.querySelector('.question__region').textContent = item.region ?? '';
        li.querySelector('.screen__item-votes').textContent = votesText(t, numbers, item.votes);
      },
    });
  }

  const texts = connectionTexts(t);
  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: (s) => {
      showConnection(status, s, texts);
      // The room sees the connection only once it is lost for a while (offline), never while it just reconnects.
      main.dataset.connection = s === ConnectionState.OFFLINE ? 'offline' : 'ok';
    },
  });
  live.subscribe(topic, {
    onSnapshot(data) { state = applySnapshot(state, data); render(); },
    onEvent(name, data) {
      const next = reduceSitting(state, name, data);
      if (next === state) return;
      state = next;
      render();
    },
  });
  wireLifecycle(live, { doc, win });
  return { live, getState: () => state };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'screen')) {
  enhanceScreenPage();
}
