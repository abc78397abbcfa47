// The petition page's count and thresholds (pure; petition-page.js wires them): which count to show from which
// source, the progress towards a threshold, and the thresholds a snapshot or a `threshold` event gives.

/** Progress towards a threshold, as the server computes `percent`: an integer 0…100. */
export function thresholdPercent(count, signatures) {
  if (!(signatures > 0) || !(count > 0)) return 0;
  return Math.min(100, Math.floor((count * 100) / signatures));
}

/**
 * The count to display from a source outside the live topic (the count after one's own signature, a threshold's
 * count): never lower than the one shown, as it may be older than what the topic already brought.
 */
export function nextCount(displayed, incoming) {
  return Number.isSafeInteger(incoming) && incoming > displayed ? incoming : displayed;
}

/**
 * The count to display from the live topic (its snapshot and `count` events, applied in order by LiveSocket): the
 * latest value, lower too, since invalidated signatures leave the count (PROTOCOL.md §6.1). Not a whole count:
 * the one shown.
 */
export function liveCount(displayed, incoming) {
  return Number.isSafeInteger(incoming) && incoming >= 0 ? incoming : displayed;
}

/** The thresholds of a `petition:{id}` snapshot: name -> {signatures, reachedAt}; null when it has none to say. */
export function thresholdsFromSnapshot(data) {
  if (!Array.isArray(data?.thresholds)) return null;
  const thresholds = new Map();
  for (const t of data.thresholds) {
    if (t && typeof t.name === 'string' && Number.isFinite(t.signatures)) {
      thresholds.set(t.name, { signatures: t.signatures, reachedAt: t.reached_at ?? null });
    }
  }
  return thresholds;
}

/** A threshold after its `threshold` event (it was reached): `known` is what the snapshot said, if anything. */
export function thresholdReached(known, data, now = new Date()) {
  return {
    signatures: Number.isFinite(data?.signatures) ? data.signatures : known?.signatures ?? 0,
    reachedAt: data?.reached_at ?? now.toISOString(),
  };
}

/** What a threshold's bar shows with `count` signatures: its percent and whether it is reached. */
export function thresholdView(info, count) {
  const reached = info.reachedAt !== null;
  return { reached, percent: reached ? 100 : thresholdPercent(count, info.signatures) };
}
