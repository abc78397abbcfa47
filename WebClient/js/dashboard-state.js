// The `dashboard` topic (Protocol/PROTOCOL.md §6.4): the latest tally, and threshold progress. Pure: no DOM, no I/O.
// The charts' time series are in dashboard-series.js.

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

export function emptyDashboardState() {
  return { at: null, sittings: [], petitions: [] };
}

/**
 * Applies a snapshot or a `tally` (same complete shape): the new state, with the sittings and petitions that have a
 * whole id. Anything that is not an object leaves the state as it was.
 */
export function applyTally(state, data) {
  if (!isObject(data)) return state;
  const petitions = (Array.isArray(data.petitions) ? data.petitions : []).filter((p) => isObject(p) && Number.isSafeInteger(p.id));
  const sittings = (Array.isArray(data.sittings) ? data.sittings : []).filter((s) => isObject(s) && Number.isSafeInteger(s.id));
  return { at: typeof data.at === 'string' ? data.at : null, sittings, petitions };
}

/** Progress towards a threshold as an integer percentage 0..100. */
export function thresholdProgress(count, signatures) {
  if (!(signatures > 0) || !(count > 0)) return 0;
  return Math.min(100, Math.floor((count * 100) / signatures));
}
