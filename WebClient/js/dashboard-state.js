// The `dashboard` topic (Protocol/HEARINGS.md §5): the latest tally, a ring buffer of per-minute signature rates
// per petition, and the chart's geometry. Pure: no DOM, no I/O.

export const CHART_WINDOW_MS = 10 * 60 * 1000; // the chart shows the last ten minutes
export const SAMPLE_EVERY_MS = 5 * 1000;       // at most one sample per petition every 5 s (tally is conflated)
export const RING_SIZE = CHART_WINDOW_MS / SAMPLE_EVERY_MS + 1;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A fixed-size ring of {at, value} samples, oldest first when read. */
export class RingBuffer {
  #items;
  #start = 0;
  #length = 0;

  constructor(capacity = RING_SIZE) {
    if (!(capacity > 0)) throw new RangeError('capacity must be positive');
    this.#items = new Array(capacity);
  }

  get capacity() { return this.#items.length; }
  get length() { return this.#length; }

  push(item) {
    const capacity = this.#items.length;
    if (this.#length < capacity) {
      this.#items[(this.#start + this.#length) % capacity] = item;
      this.#length += 1;
    } else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % capacity;
    }
  }

  /** Replaces the newest item (or pushes when empty). */
  replaceLast(item) {
    if (this.#length === 0) { this.push(item); return; }
    this.#items[(this.#start + this.#length - 1) % this.#items.length] = item;
  }

  last() {
    return this.#length === 0 ? undefined : this.#items[(this.#start + this.#length - 1) % this.#items.length];
  }

  toArray() {
    const out = [];
    for (let i = 0; i < this.#length; i += 1) out.push(this.#items[(this.#start + i) % this.#items.length]);
    return out;
  }
}

/**
 * Adds a sample: a sample within `everyMs` of the newest one replaces it (the latest value wins), an older one
 * (a clock step back) is ignored.
 */
export function addSample(ring, at, value, { everyMs = SAMPLE_EVERY_MS } = {}) {
  if (!Number.isFinite(at) || !Number.isFinite(value)) return ring;
  const last = ring.last();
  if (last && at < last.at) return ring;
  if (last && at - last.bucketAt < everyMs) ring.replaceLast({ at, value, bucketAt: last.bucketAt });
  else ring.push({ at, value, bucketAt: at });
  return ring;
}

export function emptyDashboardState() {
  return { at: null, sittings: [], petitions: [], history: new Map() };
}

/**
 * Applies a snapshot or a `tally` (same complete shape). `history` (petition id -> RingBuffer) is kept across
 * tallies and sampled at the tally's `at` (or `nowMs` when it has none).
 */
export function applyTally(state, data, nowMs = Date.now()) {
  if (!isObject(data)) return state;
  const parsedAt = typeof data.at === 'string' ? Date.parse(data.at) : Number.NaN;
  const at = Number.isNaN(parsedAt) ? nowMs : parsedAt;
  const petitions = (Array.isArray(data.petitions) ? data.petitions : []).filter((p) => isObject(p) && Number.isSafeInteger(p.id));
  const sittings = (Array.isArray(data.sittings) ? data.sittings : []).filter((s) => isObject(s) && Number.isSafeInteger(s.id));
  const history = state.history;
  for (const p of petitions) {
    if (!history.has(p.id)) history.set(p.id, new RingBuffer());
    addSample(history.get(p.id), at, Number.isFinite(p.per_minute) ? p.per_minute : 0);
  }
  for (const id of [...history.keys()]) if (!petitions.some((p) => p.id === id)) history.delete(id);
  return { at: data.at ?? null, sittings, petitions, history };
}

/** The samples of the last `windowMs` before `now` (the newest sample's time when not given). */
export function recentSamples(samples, { windowMs = CHART_WINDOW_MS, now } = {}) {
  if (samples.length === 0) return [];
  const end = now ?? samples[samples.length - 1].at;
  return samples.filter((s) => s.at >= end - windowMs && s.at <= end);
}

/** A "nice" axis maximum >= value: 1, 2, 5 × 10^n (at least 10). */
export function niceMax(value) {
  if (!(value > 10)) return 10;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * The chart's SVG geometry for `samples` ({at, value}) over the window ending at `now`: x from 0 (now - window)
 * to `width` (now), y from `height` (0) to 0 (`max`). Returns {line, area, max, points}; `line` and `area` are path
 * data ('' without samples). Coordinates are rounded to 0.1.
 */
export function chartPath(samples, { width = 300, height = 100, windowMs = CHART_WINDOW_MS, now, max } = {}) {
  const visible = recentSamples(samples, { windowMs, now });
  const end = now ?? (visible.length ? visible[visible.length - 1].at : 0);
  const top = max ?? niceMax(Math.max(0, ...visible.map((s) => s.value)));
  const round = (n) => Math.round(n * 10) / 10;
  const points = visible.map((s) => ({
    x: round(Math.min(width, Math.max(0, ((s.at - (end - windowMs)) / windowMs) * width))),
    y: round(height - (Math.min(Math.max(s.value, 0), top) / top) * height),
  }));
  if (points.length === 0) return { line: '', area: '', max: top, points };
  if (points.length === 1) points.unshift({ x: 0, y: points[0].y }); // one sample: a flat line across
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
  const area = `${line} L${points[points.length - 1].x},${height} L${points[0].x},${height} Z`;
  return { line, area, max: top, points };
}

/**
 * One row per minute for the chart's text alternative: [{minutesAgo, value}] with the last sample of each minute,
 * newest first.
 */
export function minuteTable(samples, { windowMs = CHART_WINDOW_MS, now } = {}) {
  const visible = recentSamples(samples, { windowMs, now });
  if (visible.length === 0) return [];
  const end = now ?? visible[visible.length - 1].at;
  const rows = new Map();
  for (const s of visible) {
    const minutesAgo = Math.floor((end - s.at) / 60000);
    if (!rows.has(minutesAgo) || rows.get(minutesAgo).at < s.at) rows.set(minutesAgo, s);
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([minutesAgo, s]) => ({ minutesAgo, value: s.value }));
}

/** Progress towards a threshold as an integer percentage 0..100. */
export function thresholdProgress(count, signatures) {
  if (!(signatures > 0) || !(count > 0)) return 0;
  return Math.min(100, Math.floor((count * 100) / signatures));
}
