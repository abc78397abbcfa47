// The dashboard's chart and map models (pure; dashboard-page.js draws them through dashboard-figure.js and
// dashboard-map.js): from the series of dashboard-series.js and the area counts of area-counts.js, each chart's
// points, title, description in words (its text alternative), table head and rows, in the page's language. No DOM.

import {
  WINDOW_MS, petitionPoints, rowMinutes, sittingPoints, sittingWindow, summary, tableRows,
} from './dashboard-series.js';

/** Formatting for the charts: numbers and 24-hour times in the page's language. */
export function formatters(lang, timeZone = undefined) {
  const numbers = new Intl.NumberFormat(lang);
  // In the parliament's time zone (`<html data-time-zone>`), as the server renders times.
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
  return { number: (n) => numbers.format(n), time: (ms) => time.format(ms) };
}

/** The petition chart's model: points, title, description and table rows. */
export function petitionChartModel({ id, series, nowMs, t, fmt, windowMs = WINDOW_MS }) {
  const start = nowMs - windowMs;
  const points = petitionPoints(series, { start, end: nowMs });
  const { total, peak, latest } = summary(points);
  const values = { start: fmt.time(start), end: fmt.time(nowMs) };
  const desc = peak
    ? t('chart_signatures_desc', { ...values, total: fmt.number(total), latest: fmt.number(latest), peak: fmt.number(peak.v), time: fmt.time(peak.t) })
    : t('chart_signatures_desc_none', values);
  const minutes = rowMinutes(start, nowMs);
  return {
    id: `chart-petition-${id}`, start, end: nowMs, title: t('chart_signatures_title'), desc,
    series: [{ key: 'signatures', label: t('stat_per_minute'), points, area: true }],
    head: [t('chart_col_time'), t('chart_col_signatures')],
    rows: tableRows(points, { minutes, reduce: 'sum' }).map((r) => [fmt.time(r.t), fmt.number(r.v)]),
    note: minutes > 1 ? t('chart_table_note', { n: minutes }) : '',
  };
}

/** The sitting's two charts: audience (with its peak) and questions by state. */
export function sittingChartModels({ id, series, nowMs, t, fmt }) {
  const { start, end } = sittingWindow(series, nowMs);
  const lines = sittingPoints(series, { start, end });
  const minutes = rowMinutes(start, end);
  const now = lines.audience.length ? lines.audience[lines.audience.length - 1].v : 0;
  const startText = fmt.time(start);
  const audience = {
    id: `chart-sitting-${id}-audience`, start, end, title: t('chart_audience_title'),
    desc: lines.peak
      ? t('chart_audience_desc', { start: startText, now: fmt.number(now), peak: fmt.number(lines.peak.v), time: fmt.time(lines.peak.t) })
      : t('chart_audience_desc_none', { start: startText }),
    series: [{ key: 'audience', label: t('stat_viewers'), points: lines.audience, area: true, step: true }],
    marker: lines.peak ? { ...lines.peak, label: t('chart_peak_label', { n: fmt.number(lines.peak.v), time: fmt.time(lines.peak.t) }) } : null,
    head: [t('chart_col_time'), t('chart_col_audience')],
    rows: tableRows(lines.audience, { minutes, reduce: 'max' }).map((r) => [fmt.time(r.t), fmt.number(r.v)]),
    note: minutes > 1 ? t('chart_table_note', { n: minutes }) : '',
  };
  const last = (key) => (lines[key].length ? lines[key][lines[key].length - 1].v : 0);
  const byRow = (key) => new Map(tableRows(lines[key], { minutes, reduce: 'last' }).map((r) => [r.t, r.v]));
  const submitted = byRow('submitted'), approved = byRow('approved'), answered = byRow('answered');
  const questions = {
    id: `chart-sitting-${id}-questions`, start, end, title: t('chart_questions_title'),
    desc: t('chart_questions_desc', {
      start: startText, submitted: fmt.number(last('submitted')), approved: fmt.number(last('approved')), answered: fmt.number(last('answered')),
    }),
    series: [
      { key: 'submitted', label: t('stat_submitted'), points: lines.submitted, step: true },
      { key: 'approved', label: t('stat_approved'), points: lines.approved, step: true },
      { key: 'answered', label: t('stat_answered'), points: lines.answered, step: true },
    ],
    head: [t('chart_col_time'), t('stat_submitted'), t('stat_approved'), t('stat_answered')],
    rows: [...submitted.keys()].map((k) => [fmt.time(k), fmt.number(submitted.get(k)), fmt.number(approved.get(k) ?? 0), fmt.number(answered.get(k) ?? 0)]),
    note: minutes > 1 ? t('chart_table_note', { n: minutes }) : '',
  };
  return { audience, questions };
}

/**
 * The cartogram's model: description, legend and table rows (every constituency with signatures, most first; those
 * the map has no hexagon for are marked). `map` is parseHexJson's answer or null (then only the table).
 */
export function mapModel({ map, areas, names = { constituencies: new Map(), regions: new Map() }, t, fmt }) {
  const counts = areas.constituencies;
  const onMap = new Set(map ? map.hexes.map((h) => h.code) : []);
  const hexNames = new Map(map ? map.hexes.map((h) => [h.code, h]) : []);
  const rows = [...counts.entries()].filter(([, n]) => n > 0).map(([code, n]) => {
    const hex = hexNames.get(code);
    const region = hex?.region ?? null;
    return {
      code, count: n, name: hex?.name ?? names.constituencies?.get(code)?.name ?? code, onMap: onMap.has(code),
      region: region ? (names.regions?.get(region)?.name ?? region) : '',
    };
  }).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const shown = rows.filter((r) => r.onMap);
  const total = shown.reduce((s, r) => s + r.count, 0);
  const desc = shown.length
    ? t('map_desc', { total: fmt.number(total), areas: fmt.number(shown.length), name: shown[0].name, count: fmt.number(shown[0].count) })
    : t('map_desc_none');
  return { rows, desc, title: t('map_title') };
}
