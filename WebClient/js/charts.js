// Small SVG charts for the dashboard: time-series line charts (signatures per minute, audience, questions by state)
// and a hex cartogram (signatures by area). The functions here are pure: they return a tree of plain objects
// ({tag, attrs, children, text}) that `renderSvg` turns into DOM, and the tests read as it is.
//
// Why not a library: Debian ships Chart.js and Leaflet as files, but Chart.js draws on a canvas, a bitmap that
// assistive technology cannot read (it would need the same text alternative and table anyway) and whose colours CSS
// cannot reach, and Leaflet is a tile map of ~150 KB for a handful of hexagons. These charts are SVG: text stays text,
// colours and patterns come from the stylesheet (classes only, nothing the CSP blocks: no style attributes), nothing
// moves (reduced motion holds by construction), and each chart's text alternative and data table are made from the
// same numbers as its lines. No build step, no CDN: this file is served as it is.

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** A node of the tree: `el('path', {d: 'M0,0'})`. Attribute values null/undefined/false are left out. */
export function el(tag, attrs = {}, children = [], text) {
  return { tag, attrs, children: children.filter(Boolean), text };
}

/** The tree as SVG elements of `doc` (createElementNS). */
export function renderSvg(doc, node) {
  const element = doc.createElementNS(SVG_NS, node.tag);
  for (const [name, value] of Object.entries(node.attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, String(value));
  }
  if (node.text !== undefined && node.text !== null) element.textContent = String(node.text);
  for (const child of node.children ?? []) element.append(renderSvg(doc, child));
  return element;
}

const escapeXml = (value) => String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The tree as markup (tests, and a page that wants a string). */
export function toMarkup(node) {
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== false)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  const inner = (node.text !== undefined && node.text !== null ? escapeXml(node.text) : '') + (node.children ?? []).map(toMarkup).join('');
  return `<${node.tag}${attrs}>${inner}</${node.tag}>`;
}

/** Every node of the tree, depth first (tests). */
export function* walk(node) {
  yield node;
  for (const child of node.children ?? []) yield* walk(child);
}

const round = (n) => Math.round(n * 10) / 10;

/** A "nice" axis maximum >= value: 1, 2, 2.5, 5 × 10^n, at least `floor`. */
export function niceMax(value, floor = 5) {
  if (!(value > floor)) return floor;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * The value axis for data up to `highest`: a step of 1, 2 or 5 × 10^n (whole numbers: these are counts) giving at
 * most `count` intervals, the top the first multiple of the step at or above `highest` (at least 5), and the ticks
 * from 0 to the top. {top, step, ticks}.
 */
export function niceScale(highest, count = 4) {
  const target = Math.max(1, (highest > 0 ? highest : 0) / count);
  const power = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= target);
  const whole = Math.max(1, Math.round(step));
  const top = Math.max(whole * Math.ceil(Math.max(highest, 0) / whole), whole >= 5 ? whole : 5);
  const ticks = [];
  for (let v = 0; v <= top; v += whole) ticks.push(v);
  return { top, step: whole, ticks };
}

const MINUTE = 60_000;
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720].map((m) => m * MINUTE);

/** Tick times between start and end on round minutes (local time), about `count` of them. */
export function timeTicks(start, end, { count = 5, offsetMinutes = 0 } = {}) {
  if (!(end > start)) return [];
  const span = end - start;
  const step = TIME_STEPS.find((s) => span / s <= count) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const offset = offsetMinutes * MINUTE;
  const first = Math.ceil((start + offset) / step) * step - offset;
  const ticks = [];
  for (let t = first; t <= end; t += step) ticks.push(t);
  return ticks;
}

/**
 * A time-series chart.
 * @param {object} o
 * @param {string} o.id           prefix of the ids of its <title> and <desc> (unique in the page)
 * @param {number} o.width        in CSS pixels (the page measures its box: text keeps its size at any width)
 * @param {number} o.height
 * @param {number} o.start, o.end the time window (ms)
 * @param {Array<{key, label, points: Array<{t, v}>, step?: boolean, area?: boolean}>} o.series
 * @param {{t, v, label}} [o.marker]  a point to mark (the peak) with its label
 * @param {string} o.title, o.desc   the accessible name and description
 * @param {(t) => string} o.formatTime, {(v) => string} o.formatValue
 * @param {string} o.emptyText     shown when no series has a point in the window
 */
export function lineChart({
  id, width = 600, height = 220, start, end, series = [], marker = null, title = '', desc = '', yMax,
  formatTime = (t) => new Date(t).toISOString().slice(11, 16), formatValue = (v) => String(v), emptyText = '',
  offsetMinutes = 0,
}) {
  const compact = width < 420;
  const margin = { top: 12, right: compact ? 10 : 16, bottom: 30, left: compact ? 40 : 52 };
  const plotW = Math.max(10, width - margin.left - margin.right);
  const plotH = Math.max(10, height - margin.top - margin.bottom);
  const visible = series.map((s) => ({ ...s, points: (s.points ?? []).filter((p) => p.t >= start && p.t <= end && Number.isFinite(p.v)) }));
  const highest = Math.max(0, ...visible.flatMap((s) => s.points.map((p) => p.v)), marker && Number.isFinite(marker.v) ? marker.v : 0);
  const scale = niceScale(yMax ?? highest, compact ? 3 : 4);
  const top = scale.top;
  const x = (t) => round(margin.left + ((t - start) / Math.max(1, end - start)) * plotW);
  const y = (v) => round(margin.top + plotH - (Math.min(Math.max(v, 0), top) / top) * plotH);
  const children = [el('title', { id: `${id}-title` }, [], title), el('desc', { id: `${id}-desc` }, [], desc)];

  for (const v of scale.ticks) {
    children.push(el('line', { class: v === 0 ? 'chart__axis' : 'chart__grid', x1: margin.left, x2: margin.left + plotW, y1: y(v), y2: y(v) }));
    children.push(el('text', { class: 'chart__tick chart__tick--y', x: margin.left - 6, y: y(v), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, [], formatValue(v)));
  }
  for (const t of timeTicks(start, end, { count: compact ? 3 : 6, offsetMinutes })) {
    children.push(el('line', { class: 'chart__tick-mark', x1: x(t), x2: x(t), y1: margin.top + plotH, y2: margin.top + plotH + 5 }));
    children.push(el('text', { class: 'chart__tick chart__tick--x', x: x(t), y: margin.top + plotH + 20, 'text-anchor': 'middle' }, [], formatTime(t)));
  }

  const drawn = visible.filter((s) => s.points.length > 0);
  for (const s of drawn) {
    const points = s.points.map((p) => ({ x: x(p.t), y: y(p.v) }));
    let d = '';
    points.forEach((p, i) => {
      if (i === 0) d += `M${p.x},${p.y}`;
      else if (s.step) d += ` H${p.x} V${p.y}`;
      else d += ` L${p.x},${p.y}`;
    });
    if (s.step) d += ` H${x(end)}`; // a count holds until now
    else if (points.length === 1) d = `M${Math.max(margin.left, points[0].x - 2)},${points[0].y} H${points[0].x + 2}`;
    if (s.area) {
      const lastX = s.step ? x(end) : points[points.length - 1].x;
      children.push(el('path', { class: `chart__area chart__area--${s.key}`, d: `${d} L${lastX},${y(0)} L${points[0].x},${y(0)} Z` }));
    }
    children.push(el('path', { class: `chart__line chart__line--${s.key}`, d, 'data-series': s.key }));
  }
  if (marker && Number.isFinite(marker.t) && marker.t >= start && marker.t <= end) {
    const mx = x(marker.t), my = y(marker.v);
    const anchor = mx > margin.left + plotW * 0.7 ? 'end' : mx < margin.left + plotW * 0.3 ? 'start' : 'middle';
    children.push(el('circle', { class: 'chart__marker', cx: mx, cy: my, r: 5 }));
    children.push(el('text', { class: 'chart__marker-label', x: mx, y: Math.max(margin.top + 10, my - 10), 'text-anchor': anchor }, [], marker.label));
  }
  if (drawn.length === 0 && emptyText) {
    children.push(el('text', { class: 'chart__empty', x: margin.left + plotW / 2, y: margin.top + plotH / 2, 'text-anchor': 'middle' }, [], emptyText));
  }
  return el('svg', {
    class: 'chart__svg', xmlns: SVG_NS, viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`, focusable: 'false', 'data-max': top,
  }, children);
}

// ---------- the hex cartogram ----------

const LAYOUTS = new Set(['odd-r', 'even-r', 'odd-q', 'even-q']);

/**
 * Reads a HexJSON document ({layout, hexes: {code: {q, r, n?, region?}}}, the Open Data Institute's format; rows
 * count upwards). Returns {layout, hexes: [{code, q, r, name, region}]} or null when it is not one.
 */
export function parseHexJson(json) {
  if (!json || typeof json !== 'object' || !LAYOUTS.has(json.layout) || !json.hexes || typeof json.hexes !== 'object') return null;
  const hexes = [];
  for (const [code, hex] of Object.entries(json.hexes)) {
    if (!hex || !Number.isInteger(hex.q) || !Number.isInteger(hex.r)) continue;
    hexes.push({ code, q: hex.q, r: hex.r, name: typeof hex.n === 'string' ? hex.n : code, region: typeof hex.region === 'string' ? hex.region : null });
  }
  return hexes.length ? { layout: json.layout, hexes } : null;
}

/**
 * Positions every hex to fit `width` (and at most `maxSize` of radius): {size, width, height, cells: [{code, cx, cy,
 * points}]}. Pointy-topped for the -r layouts (odd-r: odd rows shifted right), flat-topped for the -q ones.
 */
export function hexLayout(map, { width = 400, maxSize = 48, pad = 4 } = {}) {
  const { layout, hexes } = map;
  const qs = hexes.map((h) => h.q), rs = hexes.map((h) => h.r);
  const qMin = Math.min(...qs), qMax = Math.max(...qs), rMin = Math.min(...rs), rMax = Math.max(...rs);
  const pointy = layout.endsWith('-r');
  const odd = (n) => Math.abs(n) % 2 === 1;
  const cols = qMax - qMin + 1, rows = rMax - rMin + 1;
  const size = Math.min(maxSize, pointy ? (width - 2 * pad) / ((cols + 0.5) * Math.sqrt(3)) : (width - 2 * pad) / (cols * 1.5 + 0.5));
  const w = Math.sqrt(3) * size;
  const cells = hexes.map((h) => {
    const col = h.q - qMin, row = rMax - h.r; // rows count upwards in HexJSON
    let cx, cy;
    if (pointy) {
      const shifted = layout === 'odd-r' ? odd(h.r) : !odd(h.r);
      cx = pad + w / 2 + col * w + (shifted ? w / 2 : 0);
      cy = pad + size + row * 1.5 * size;
    } else {
      const shifted = layout === 'odd-q' ? odd(h.q) : !odd(h.q);
      cx = pad + size + col * 1.5 * size;
      cy = pad + w / 2 + row * w + (shifted ? w / 2 : 0);
    }
    const corners = [];
    for (let i = 0; i < 6; i += 1) {
      const angle = (Math.PI / 180) * (60 * i + (pointy ? 30 : 0));
      corners.push(`${round(cx + size * Math.cos(angle))},${round(cy + size * Math.sin(angle))}`);
    }
    return { code: h.code, name: h.name, region: h.region, cx: round(cx), cy: round(cy), points: corners.join(' ') };
  });
  const height = pointy ? 2 * pad + 2 * size + (rows - 1) * 1.5 * size + 0 : 2 * pad + (rows + 0.5) * w;
  const usedWidth = pointy ? 2 * pad + (cols + 0.5) * w : 2 * pad + (cols * 1.5 + 0.5) * size;
  return { size: round(size), width: Math.ceil(usedWidth), height: Math.ceil(height), cells };
}

/** Upper bounds of `steps` colour classes for counts up to `max` (class 0 is "none"). */
export function colourSteps(max, steps = 5) {
  const top = niceMax(max, steps);
  return Array.from({ length: steps }, (_, i) => Math.round((top * (i + 1)) / steps));
}

/** The colour class of a count: 0 for none, then 1..steps. */
export function colourClass(count, bounds) {
  if (!(count > 0)) return 0;
  const i = bounds.findIndex((b) => count <= b);
  return i === -1 ? bounds.length : i + 1;
}

/** Whether a cell of colour class k needs white text: the two darkest steps (white on the middle blue would be 3.5:1). */
export const lightTextOn = (k) => k >= 4;

/**
 * The cartogram: every hex of `map` coloured by `counts` (Map code -> n), labelled when there is room.
 * Returns {svg, bounds}; the svg has role=img with title and desc.
 */
export function cartogram({ id, map, counts, width = 400, maxSize = 56, title = '', desc = '', formatValue = String, label = (c) => c.name }) {
  const layout = hexLayout(map, { width, maxSize });
  const max = Math.max(0, ...map.hexes.map((h) => counts.get(h.code) ?? 0));
  const bounds = colourSteps(max);
  const labelled = layout.size >= 30;
  // Bold 13 px text is about 7.5 px a character: what fits across a hexagon, less a margin.
  const maxChars = Math.max(4, Math.floor((Math.sqrt(3) * layout.size - 8) / 7.5));
  const cells = layout.cells.map((c) => {
    const n = counts.get(c.code) ?? 0;
    const k = colourClass(n, bounds);
    const textClass = `cartogram__label${lightTextOn(k) ? ' cartogram__label--light' : ''}`;
    return el('g', { class: 'cartogram__hex' }, [
      el('polygon', { class: `cartogram__cell cartogram__cell--${k}`, points: c.points, 'data-code': c.code, 'data-count': n, 'data-region': c.region }),
      labelled ? el('text', { class: textClass, x: c.cx, y: c.cy - 4, 'text-anchor': 'middle' }, [], shortLabel(label(c), maxChars)) : null,
      labelled ? el('text', { class: `${textClass} cartogram__value`, x: c.cx, y: c.cy + 14, 'text-anchor': 'middle' }, [], formatValue(n)) : null,
    ]);
  });
  const svg = el('svg', {
    class: 'chart__svg cartogram', xmlns: SVG_NS, viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width,
    height: layout.height, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, focusable: 'false',
  }, [el('title', { id: `${id}-title` }, [], title), el('desc', { id: `${id}-desc` }, [], desc), ...cells]);
  return { svg, bounds };
}

/** A label short enough for a hexagon: the whole name, else its first words, else its start, in `max` characters. */
export function shortLabel(name, max = 12) {
  const text = String(name ?? '');
  if (text.length <= max) return text;
  let out = '';
  for (const word of text.split(/\s+/)) {
    if ((out ? `${out} ${word}` : word).length > max - 1) break;
    out = out ? `${out} ${word}` : word;
  }
  return out ? `${out}…` : `${text.slice(0, max - 1)}…`;
}

/** Legend entries for the colour classes: [{k, from, to}] (from 1 for the first). */
export function legendSteps(bounds) {
  return bounds.map((to, i) => ({ k: i + 1, from: i === 0 ? 1 : bounds[i - 1] + 1, to }));
}
