// The projector and OBS browser source of a sitting (templates/screen.mustache, GET /sittings/{id}/screen): the
// question on screen and the top of the queue, kept live from `sitting:{id}`. No interaction; nothing announced
// (it is a display, not a page people read with a screen reader).
//
// DOM hooks: #main[data-topic], #on-screen[data-question-id] (#on-screen-body, #on-screen-text, #on-screen-who),
// ol#top-list > li[data-question-id], #top-empty, #live-status.

import { connectionTexts, h, liveUrl, reconcileList, showConnection, wireLifecycle } from './dom.js';
import { emptySittingState, reduceSitting, applySnapshot, topQuestions } from './hearing-state.js';
import { pageTranslator } from './i18n.js';
import { LiveSocket } from './live-socket.js';
import { displayName, isPage, votesText } from './hearing-text.js';

export const SCREEN_TOP = 5;

export function enhanceScreenPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
} = {}) {
  const main = doc.getElementById('main');
  const topic = main?.dataset.topic;
  if (!topic) return null;
  const t = pageTranslator(doc);
  const numbers = new Intl.NumberFormat(t.lang);
  const banner = doc.getElementById('on-screen');
  const body = doc.getElementById('on-screen-body');
  const list = doc.getElementById('top-list');
  const topEmpty = doc.getElementById('top-empty');
  const status = doc.getElementById('live-status');
  let state = emptySittingState(Number(main.dataset.sittingId));

  function render() {
    const q = state.onScreen;
    if (banner) banner.dataset.questionId = q ? String(q.id) : '';
    if (body) {
      const current = body.querySelector('#on-screen-text');
      if (!q) {
        body.replaceChildren(h(doc, 'p', { className: 'screen__empty', attrs: { id: 'on-screen-empty' }, text: t('screen_waiting') }));
      } else if (!current || banner.dataset.renderedId !== String(q.id) || current.textContent !== q.text) {
        body.replaceChildren(
          h(doc, 'p', { className: 'screen__text', attrs: { id: 'on-screen-text' }, text: q.text }),
          h(doc, 'p', { className: 'screen__who', attrs: { id: 'on-screen-who' } },
            h(doc, 'span', { className: 'question__name', text: displayName(t, q) }),
            h(doc, 'span', { className: 'question__region', text: q.region ?? '' })),
        );
      }
      if (banner) banner.dataset.renderedId = q ? String(q.id) : '';
    }
    main.dataset.state = state.sitting.state;
    if (!list) return;
    const top = topQuestions(state, SCREEN_TOP);
    if (topEmpty) topEmpty.hidden = top.length > 0;
    reconcileList(list, top, {
      key: (q) => q.id,
      elementKey: (li) => li.dataset.questionId,
      create: (q) => h(doc, 'li', { className: 'screen__item', dataset: { questionId: q.id } },
        h(doc, 'span', { className: 'screen__item-text' }),
        h(doc, 'span', { className: 'screen__item-meta' },
          h(doc, 'span', { className: 'question__name' }),
          h(doc, 'span', { className: 'question__region' })),
        h(doc, 'span', { className: 'screen__item-votes' })),
      update: (li, q) => {
        li.dataset.questionId = String(q.id);
        li.querySelector('.screen__item-text').textContent = q.text;
        li.querySelector('.question__name').textContent = displayName(t, q);
        li.querySelector('.question__region').textContent = q.region ?? '';
        li.querySelector('.screen__item-votes').textContent = votesText(t, numbers, q.votes);
      },
    });
  }

  const texts = connectionTexts(t);
  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: (s) => showConnection(status, s, texts),
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
