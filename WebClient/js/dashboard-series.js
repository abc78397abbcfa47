// The dashboard's time series, minute by minute. Pure: no DOM, no I/O, the caller passes the time.
//
// - Signatures per minute per petition: first from `GET /petitions/{id}/history.json` (its `minute` entries: signatures
//   added in each minute), then live from the `dashboard` topic's counts (what a count grew by is added to its minute).
// - Audience and questions by state per sitting: first from `GET /api/v1/dashboard/series` (Protocol/HEARINGS.md §5:
//   the highest audience in each minute, the questions at its end; a minute that changed nothing is left out), then
//   live from each `tally`.

export const MINUTE_MS = 60_000;
export const WINDOW_MS = 3 * 60 * MINUTE_MS; // the charts show the last three hours
export const MIN_SPAN_MS = 15 * MINUTE_MS;   // and at least a quarter of an hour
const MAX_MINUTES = 12 * 60;                 // what is kept per series, whatever arrives

export const minuteOf = (ms) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const count = (v) => (Number.isSafeInteger(v) && v >= 0 ? v : 0);

function trim(map) {
  if (map.size <= MAX_MINUTES) return map;
  const keys = [...map.keys()].sort((a, b) => a - b);
  for (const k of keys.slice(0, map.size - MAX_MINUTES)) map.delete(k);
  return map;
}

// ---------- petitions ----------

/** {history: Map minute -> added (from history.json), live: Map minute -> added (seen live), lastCount, liveFrom}. */
export function emptyPetitionSeries() {
  return { history: new Map(), live: new Map(), lastCount: null, liveFrom: null };
}

/** Takes the `minute` entries of a history.json answer (anything else leaves the series as it was). */
export function withHistory(series, json) {
  if (!isObject(json) || !Array.isArray(json.minute)) return series;
  const history = new Map();
  for (const entry of json.minute) {
    const at = isObject(entry) && typeof entry.at === 'string' ? Date.parse(entry.at) : Number.NaN;
    if (Number.isNaN(at)) continue;
    history.set(minuteOf(at), (history.get(minuteOf(at)) ?? 0) + count(entry.added));
  }
  return { ...series, history: trim(history) };
}

/**
 * A count seen live at `atMs`: what it grew by since the last one is added to that minute (a count that went down,
 * when staff invalidated signatures, adds nothing). The first count only sets the starting point.
 */
export function withCount(series, value, atMs) {
  if (!Number.isSafeInteger(value) || !Number.isFinite(atMs)) return series;
  if (series.lastCount === null) return { ...series, lastCount: value, liveFrom: minuteOf(atMs) };
  const grew = value - series.lastCount;
  if (grew <= 0) return grew === 0 ? series : { ...series, lastCount: value };
  const live = new Map(series.live);
  live.set(minuteOf(atMs), (live.get(minuteOf(atMs)) ?? 0) + grew);
  return { ...series, live: trim(live), lastCount: value };
}

/**
 * Signatures added in each minute of [start, end]: [{t, v}] one per minute, 0 where none. Before live counting began
 * the history holds; after it, what was seen live; in the minute it began, the larger of the two (the history may have
 * been fetched before or after that minute's first count).
 */
export function petitionPoints(series, { start, end }) {
  const points = [];
  for (let t = minuteOf(start); t <= end; t += MINUTE_MS) {
    const fromHistory = series.history.get(t) ?? 0;
    const fromLive = series.live.get(t) ?? 0;
    let v;
    if (series.liveFrom === null || t < series.liveFrom) v = fromHistory;
    else if (t === series.liveFrom) v = Math.max(fromHistory, fromLive);
    else v = fromLive;
    points.push({ t, v });
  }
  return points;
}

// ---------- sittings ----------

/** Map minute -> {viewers, submitted, approved, answered}. */
export function emptySittingSeries() {
  return { minutes: new Map() };
}

/** Takes one sitting of a `GET /api/v1/dashboard/series` answer ({id, peak, minutes: [{at, viewers, …}]}). */
export function withServerSeries(series, entry) {
  if (!isObject(entry) || !Array.isArray(entry.minutes)) return series;
  const minutes = new Map(series.minutes);
  for (const m of entry.minutes) {
    const at = isObject(m) && typeof m.at === 'string' ? Date.parse(m.at) : Number.NaN;
    if (Number.isNaN(at)) continue;
    const key = minuteOf(at);
    const known = minutes.get(key);
    minutes.set(key, {
      viewers: Math.max(count(m.viewers), known?.viewers ?? 0),
      submitted: count(m.submitted), approved: count(m.approved), answered: count(m.answered),
    });
  }
  return { minutes: trim(new Map([...minutes.entries()].sort((a, b) => a[0] - b[0]))) };
}

/** A sitting of a `tally` at `atMs`: the minute keeps its highest audience and the latest question counts. */
export function withTally(series, sitting, atMs) {
  if (!isObject(sitting) || !Number.isFinite(atMs)) return series;
  const key = minuteOf(atMs);
  const known = series.minutes.get(key);
  const minutes = new Map(series.minutes);
  minutes.set(key, {
    viewers: Math.max(count(sitting.viewers), known?.viewers ?? 0),
    submitted: count(sitting.questions?.submitted), approved: count(sitting.questions?.approved),
    answered: count(sitting.questions?.answered),
  });
  return { minutes: trim(minutes) };
}

/** The window a sitting's charts show: the last three hours, from the first minute known, at least 15 minutes. */
export function sittingWindow(series, nowMs) {
  const keys = [...series.minutes.keys()];
  const first = keys.length ? Math.min(...keys) : nowMs;
  const start = Math.max(nowMs - WINDOW_MS, Math.min(first, nowMs - MIN_SPAN_MS));
  return { start, end: nowMs };
}

/**
 * The sitting's lines over [start, end], one point per minute from its first known minute, each value carried
 * forward over minutes the server left out: {audience, submitted, approved, answered: [{t, v}]}, and the peak
 * ({t, v} of the highest audience in the window, the earliest of equals; null without viewers).
 */
export function sittingPoints(series, { start, end }) {
  const keys = [...series.minutes.keys()].sort((a, b) => a - b);
  const out = { audience: [], submitted: [], approved: [], answered: [], peak: null };
  let current = null;
  for (const k of keys) if (k < minuteOf(start)) current = series.minutes.get(k);
  for (let t = minuteOf(start); t <= end; t += MINUTE_MS) {
    const m = series.minutes.get(t);
    if (m) current = m;
    if (!current) continue;
    // A minute left out repeats the last values; its audience is the last one seen, not a peak.
    out.audience.push({ t, v: current.viewers });
    out.submitted.push({ t, v: current.submitted });
    out.approved.push({ t, v: current.approved });
    out.answered.push({ t, v: current.answered });
    if (current.viewers > (out.peak?.v ?? 0)) out.peak = { t, v: current.viewers };
  }
  return out;
}

// ---------- tables ----------

/** Minutes per table row so that [start, end] fits in at most `maxRows` rows: 1, 5, 10, 15, 30 or 60. */
export function rowMinutes(start, end, maxRows = 36) {
  const minutes = Math.max(1, Math.ceil((end - start) / MINUTE_MS));
  return [1, 5, 10, 15, 30, 60].find((m) => minutes / m <= maxRows) ?? 60;
}

/**
 * Points grouped into rows of `minutes`, newest first: [{t (the row's first minute), v}], where v is the sum
 * (`sum`: signatures in the period), the highest (`max`: audience) or the last value (`last`: counts at its end).
 */
export function tableRows(points, { minutes = 1, reduce = 'sum' } = {}) {
  const width = minutes * MINUTE_MS;
  const rows = new Map();
  for (const p of points) {
    const key = Math.floor(p.t / width) * width;
    const row = rows.get(key);
    if (!row) rows.set(key, { t: key, v: p.v });
    else if (reduce === 'sum') row.v += p.v;
    else if (reduce === 'max') row.v = Math.max(row.v, p.v);
    else row.v = p.v;
  }
  return [...rows.values()].sort((a, b) => b.t - a.t);
}

/** Sum, highest point (earliest of equals) and latest value of points. */
export function summary(points) {
  let total = 0;
  let peak = null;
  for (const p of points) {
    total += p.v;
    if (p.v > (peak?.v ?? 0)) peak = p;
  }
  return { total, peak, latest: points.length ? points[points.length - 1].v : 0 };
}
