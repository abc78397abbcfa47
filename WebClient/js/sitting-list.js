// The viewer page's question list in the browser: drawn in the order question-order.js keeps (votes do not move it
// while the viewer interacts with it), the "N questions moved: show the new order" button, the calm-moment timer
// that applies the new order, and its announcement. sitting-page.js gives it the questions; nothing here talks to
// the server.
//
// DOM hooks: ol#question-list > li[data-question-id], #reorder (sticky, after the list), #reorder-button,
// #questions-heading (focused when the viewer asks for the new order).

import { reconcileList } from './dom.js';
import { arrange, emptyOrder, nextTick, pendingMoves, reduceOrder } from './question-order.js';
import { createQuestionItem, questionView, setText, updateQuestionItem } from './sitting-view.js';

/** Events on the list that count as the viewer interacting with it (the order holds still). */
export const INTERACTION_EVENTS = Object.freeze(['pointerdown', 'keydown', 'focusin', 'touchstart', 'wheel']);

/**
 * Wires the list. `viewContext()`: the current `{t, numbers, voted, votingNow, ended}` for sitting-view.js;
 * `itemContext`: `{t, canTakePart, sittingId, csrfToken}`; `announce(text)`: the page's throttled announcer;
 * `now()`: the clock (ms). Returns `render(questions)` (new questions from the state: sorted by the caller),
 * `redraw()` (the same questions, e.g. after a vote button changed) and `order()` for tests. Null without the list.
 */
export function wireQuestionList({ doc, win, t, numbers, itemContext, viewContext, announce = () => {}, now = () => Date.now() }) {
  const list = doc.getElementById('question-list');
  if (!list) return null;
  const reorder = doc.getElementById('reorder');
  const reorderButton = doc.getElementById('reorder-button');
  const heading = doc.getElementById('questions-heading');
  let order = emptyOrder();
  let questions = [];
  let timer = null;

  function draw() {
    const moved = pendingMoves(order);
    if (reorder) reorder.hidden = moved === 0;
    if (reorderButton && moved > 0) setText(reorderButton, t.plural('questions_moved', moved, { n: numbers.format(moved) }));
    scheduleCalm();
    reconcileList(list, arrange(order, questions), {
      key: (q) => q.id,
      create: (q) => createQuestionItem(doc, q, itemContext),
      update: (li, q) => updateQuestionItem(doc, li, questionView(q, viewContext()), t),
      elementKey: (li) => li.dataset.questionId,
    });
  }

  function scheduleCalm() {
    if (timer !== null) win.clearTimeout?.(timer);
    timer = null;
    const at = nextTick(order);
    if (at === null || typeof win.setTimeout !== 'function') return;
    timer = win.setTimeout(() => {
      timer = null;
      const before = order;
      order = reduceOrder(order, { type: 'tick', now: now() });
      if (order !== before) applied(); else scheduleCalm();
    }, Math.max(0, at - now()) + 50);
  }

  /** The new order is on screen: say so (the list moved without the viewer's doing). */
  function applied({ focus = false } = {}) {
    draw();
    announce(t('questions_reordered'));
    if (focus && heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }

  const interact = () => { order = reduceOrder(order, { type: 'interact', now: now() }); scheduleCalm(); };
  for (const type of INTERACTION_EVENTS) list.addEventListener(type, interact, { passive: true });
  reorderButton?.addEventListener('click', () => {
    order = reduceOrder(order, { type: 'apply' });
    applied({ focus: true });
  });

  return {
    list,
    render(next) {
      questions = next;
      order = reduceOrder(order, { type: 'sorted', ids: next.map((q) => q.id), now: now() });
      draw();
    },
    redraw: draw,
    order: () => order,
  };
}
