// The order the viewer's question list is shown in (pure; sitting-page.js wires it). Votes re-sort the questions,
// but the list on screen must not move under the finger of someone reading or voting: the shown order is kept as
// it is while people interact, new questions are added at the end, and the new order is applied at a calm moment
// (CALM_MS without any interaction with the list) or at once when the viewer presses "N questions moved: show the
// new order". The wiring announces the change to screen readers when it is applied.

/** Milliseconds without interaction with the list after which a pending new order is applied. */
export const CALM_MS = 5000;

/** The initial state: nothing shown yet (the first order is taken as it is). */
export function emptyOrder() {
  return Object.freeze({ shown: null, sorted: [], lastInteraction: -Infinity });
}

/**
 * `shown` kept for the ids still in `sorted` (same relative order), then the ids new to it in their sorted order.
 * @param {Array<number>} shown
 * @param {Array<number>} sorted
 */
export function stableOrder(shown, sorted) {
  const present = new Set(sorted);
  const kept = shown.filter((id) => present.has(id));
  const had = new Set(kept);
  return [...kept, ...sorted.filter((id) => !had.has(id))];
}

/** How many questions are not where the sorted order puts them (0: the shown order is the sorted one). */
export function movedCount(shown, sorted) {
  if (!shown) return 0;
  let moved = 0;
  for (let i = 0; i < sorted.length; i += 1) if (shown[i] !== sorted[i]) moved += 1;
  return moved;
}

/** The number of questions a pending new order would move. */
export function pendingMoves(state) {
  return movedCount(state.shown, state.sorted);
}

/**
 * @param {{shown: Array<number>|null, sorted: Array<number>, lastInteraction: number}} state
 * @param {{type: 'sorted', ids: Array<number>, now: number}
 *   | {type: 'interact', now: number} | {type: 'tick', now: number} | {type: 'apply'}} event
 *   `sorted`: the order the votes give now (the list was rendered from new state); `interact`: the viewer touched,
 *   clicked, scrolled or focused the list; `tick`: a timer fired; `apply`: the viewer asked for the new order.
 */
export function reduceOrder(state, event) {
  switch (event.type) {
    case 'sorted': {
      const sorted = [...event.ids];
      // Nobody is looking at an older order yet, or nobody interacted lately: follow the votes at once.
      const calm = event.now - state.lastInteraction >= CALM_MS;
      const shown = state.shown === null || calm ? sorted : stableOrder(state.shown, sorted);
      return Object.freeze({ ...state, sorted, shown });
    }
    case 'interact':
      return Object.freeze({ ...state, lastInteraction: event.now });
    case 'tick':
      if (pendingMoves(state) === 0 || event.now - state.lastInteraction < CALM_MS) return state;
      return Object.freeze({ ...state, shown: [...state.sorted] });
    case 'apply':
      return Object.freeze({ ...state, shown: [...state.sorted] });
    default:
      return state;
  }
}

/** When a `tick` should next fire (ms timestamp), or null when no new order is pending. */
export function nextTick(state) {
  return pendingMoves(state) === 0 ? null : state.lastInteraction + CALM_MS;
}

/** The questions in the shown order (`byId`: id -> question). */
export function arrange(state, questions) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  return (state.shown ?? state.sorted).map((id) => byId.get(id)).filter(Boolean);
}
