// js/charts.js: the line chart and the hex cartogram as trees (no DOM), their axes, text alternatives and colours.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  SVG_NS, cartogram, colourClass, colourSteps, el, hexLayout, legendSteps, lightTextOn, lineChart, niceMax, parseHexJson,
  niceScale, renderSvg, shortLabel, timeTicks, toMarkup, walk,
} from '../js/charts.js';
import { REPO_ROOT } from './support/fakes.mjs';

const T0 = Date.parse('2026-11-29T14:00:00.000Z');
const MIN = 60_000;
const nodes = (tree, tag) => [...walk(tree)].filter((n) => n.tag === tag);
const byClass = (tree, cls) => [...walk(tree)].filter((n) => (n.attrs.class ?? '').split(' ').includes(cls));
const SAMPLE_MAP = JSON.parse(readFileSync(join(REPO_ROOT, 'WebClient', 'maps', 'areas.hex.json'), 'utf8'));
const REGIONS_CSV = readFileSync(join(REPO_ROOT, 'Protocol', 'examples', 'regions', 'constituencies.csv'), 'utf8');

/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(a, b) {
  const lum = (hex) => {
    const [r, g, b2] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

describe('scales', () => {
  test('niceMax: 1, 2, 2.5, 5 × 10^n, at least the floor', () => {
    assert.equal(niceMax(0), 5);
    assert.equal(niceMax(4), 5);
    assert.equal(niceMax(7), 10);
    assert.equal(niceMax(11), 20);
    assert.equal(niceMax(24), 25);
    assert.equal(niceMax(450), 500);
    assert.equal(niceMax(501), 1000);
    assert.equal(niceMax(3, 1), 5);
  });

  test('the value axis: whole steps of 1, 2 or 5 × 10^n, the top a step at or above the data, at least 5', () => {
    assert.deepEqual(niceScale(40), { top: 40, step: 10, ticks: [0, 10, 20, 30, 40] });
    assert.deepEqual(niceScale(41), { top: 60, step: 20, ticks: [0, 20, 40, 60] });
    assert.deepEqual(niceScale(40, 3), { top: 40, step: 20, ticks: [0, 20, 40] });
    assert.deepEqual(niceScale(0), { top: 5, step: 1, ticks: [0, 1, 2, 3, 4, 5] });
    assert.deepEqual(niceScale(3), { top: 5, step: 1, ticks: [0, 1, 2, 3, 4, 5] });
    assert.deepEqual(niceScale(12466, 4).ticks, [0, 5000, 10000, 15000]);
    assert.deepEqual(niceScale(-3).top, 5);
  });

  test('time ticks fall on round minutes, about the asked number', () => {
    assert.deepEqual(timeTicks(T0 - 3 * 60 * MIN, T0, { count: 6 }).map((t) => (t - T0) / MIN), [-180, -150, -120, -90, -60, -30, 0]);
    assert.deepEqual(timeTicks(T0 + 3 * MIN + 10_000, T0 + 17 * MIN, { count: 3 }).map((t) => (t - T0) / MIN), [5, 10, 15]);
    assert.deepEqual(timeTicks(T0, T0), []);
    // A time zone an hour and a half ahead: ticks on its round half hours.
    assert.deepEqual(timeTicks(T0, T0 + 60 * MIN, { count: 2, offsetMinutes: 90 }).map((t) => (t - T0) / MIN), [0, 30, 60]);
  });
});

describe('lineChart', () => {
  const chart = (over = {}) => lineChart({
    id: 'c1', width: 600, height: 220, start: T0, end: T0 + 60 * MIN, title: 'Audience', desc: 'Peak 40 at 14:30',
    series: [{ key: 'audience', label: 'Watching', points: [{ t: T0, v: 10 }, { t: T0 + 30 * MIN, v: 40 }, { t: T0 + 60 * MIN, v: 20 }], area: true }],
    marker: { t: T0 + 30 * MIN, v: 40, label: 'Peak 40 at 14:30' }, formatTime: (t) => `${(t - T0) / MIN}m`, ...over,
  });

  test('an image named by its title and described by its desc', () => {
    const svg = chart();
    assert.equal(svg.tag, 'svg');
    assert.equal(svg.attrs.role, 'img');
    assert.equal(svg.attrs['aria-labelledby'], 'c1-title c1-desc');
    assert.equal(nodes(svg, 'title')[0].text, 'Audience');
    assert.equal(nodes(svg, 'title')[0].attrs.id, 'c1-title');
    assert.equal(nodes(svg, 'desc')[0].text, 'Peak 40 at 14:30');
    assert.equal(svg.attrs.viewBox, '0 0 600 220');
    assert.equal(svg.attrs.width, 600, 'drawn at the width asked: text keeps its size');
  });

  test('the line runs from the first point to the last inside the plot; the scale is nice', () => {
    const svg = chart();
    const [line] = byClass(svg, 'chart__line');
    assert.equal(line.attrs['data-series'], 'audience');
    assert.equal(svg.attrs['data-max'], 40);
    const coords = [...line.attrs.d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.equal(coords.length, 3);
    assert.equal(coords[0][0], 52, 'the left margin');
    assert.equal(coords[2][0], 584, 'the right edge of the plot');
    assert.ok(coords[1][1] < coords[2][1] && coords[2][1] < coords[0][1], 'higher values are higher up');
    assert.equal(byClass(svg, 'chart__area').length, 1);
    assert.ok(!toMarkup(svg).includes('style='), 'no style attributes (CSP)');
  });

  test('axes: labelled value ticks and time ticks', () => {
    const svg = chart();
    assert.deepEqual(byClass(svg, 'chart__tick--y').map((n) => n.text), ['0', '10', '20', '30', '40']);
    assert.deepEqual(byClass(svg, 'chart__tick--x').map((n) => n.text), ['0m', '10m', '20m', '30m', '40m', '50m', '60m']);
    assert.ok(byClass(lineChart({ id: 'n', width: 320, start: T0, end: T0 + 60 * MIN, series: [] }), 'chart__tick--x').length <= 4,
      'fewer ticks when narrow');
  });

  test('the marker sits on its point with its label', () => {
    const svg = chart();
    const [marker] = byClass(svg, 'chart__marker');
    const [label] = byClass(svg, 'chart__marker-label');
    assert.equal(label.text, 'Peak 40 at 14:30');
    assert.equal(marker.attrs.cx, 318);
    assert.equal(byClass(chart({ marker: { t: T0 - MIN, v: 1, label: 'x' } }), 'chart__marker').length, 0, 'outside the window: none');
  });

  test('step lines hold each value until the next and until the end', () => {
    const svg = lineChart({ id: 's', width: 600, start: T0, end: T0 + 10 * MIN, series: [{ key: 'approved', points: [{ t: T0, v: 1 }, { t: T0 + 5 * MIN, v: 3 }], step: true }] });
    const d = byClass(svg, 'chart__line')[0].attrs.d;
    assert.match(d, /^M52,[\d.]+ H318 V[\d.]+ H584$/);
  });

  test('without points: the empty text, no line', () => {
    const svg = lineChart({ id: 'e', start: T0, end: T0 + MIN, series: [{ key: 'x', points: [] }], emptyText: 'No data yet' });
    assert.equal(byClass(svg, 'chart__line').length, 0);
    assert.equal(byClass(svg, 'chart__empty')[0].text, 'No data yet');
  });
});

describe('rendering', () => {
  class FakeNode {
    constructor(ns, tag) { this.ns = ns; this.tag = tag; this.attrs = {}; this.children = []; this.textContent = ''; }
    setAttribute(name, value) { this.attrs[name] = value; }
    append(child) { this.children.push(child); }
  }
  const doc = { createElementNS: (ns, tag) => new FakeNode(ns, tag) };

  test('renderSvg makes SVG elements with the attributes and text of the tree', () => {
    const node = renderSvg(doc, el('svg', { viewBox: '0 0 1 1', hidden: false, role: 'img' }, [el('title', {}, [], 'A & B'), null]));
    assert.equal(node.ns, SVG_NS);
    assert.deepEqual(node.attrs, { viewBox: '0 0 1 1', role: 'img' });
    assert.equal(node.children.length, 1);
    assert.equal(node.children[0].textContent, 'A & B');
    assert.equal(toMarkup(el('text', { x: 1 }, [], '<b>')), '<text x="1">&lt;b&gt;</text>');
  });
});

describe('cartogram', () => {
  test('the sample map: a hexagon for every sample constituency, with its name and region', () => {
    const map = parseHexJson(SAMPLE_MAP);
    assert.equal(map.layout, 'odd-r');
    const codes = REGIONS_CSV.trim().split('\n').slice(1).map((line) => line.split(',')[0]);
    assert.deepEqual(map.hexes.map((h) => h.code).sort(), codes.sort());
    const regions = new Map(REGIONS_CSV.trim().split('\n').slice(1).map((line) => [line.split(',')[0], line.split(',').at(-2)]));
    for (const hex of map.hexes) {
      assert.ok(hex.name && hex.name !== hex.code, `${hex.code} has a name`);
      assert.ok(hex.region, `${hex.code} has a region`);
    }
    assert.ok(regions.size === map.hexes.length);
  });

  test('parseHexJson refuses what is not HexJSON and skips hexes without whole coordinates', () => {
    assert.equal(parseHexJson(null), null);
    assert.equal(parseHexJson({ layout: 'square', hexes: { a: { q: 0, r: 0 } } }), null);
    assert.equal(parseHexJson({ layout: 'odd-r', hexes: {} }), null);
    const map = parseHexJson({ layout: 'even-q', hexes: { a: { q: 0, r: 0 }, b: { q: 'x', r: 1 } } });
    assert.deepEqual(map.hexes, [{ code: 'a', q: 0, r: 0, name: 'a', region: null }]);
  });

  test('layout: neighbours do not overlap, rows count upwards, everything fits the width', () => {
    const map = { layout: 'odd-r', hexes: [{ code: 'a', q: 0, r: 0 }, { code: 'b', q: 1, r: 0 }, { code: 'c', q: 0, r: 1 }] };
    const { cells, width, size } = hexLayout(map, { width: 300, maxSize: 40 });
    const at = Object.fromEntries(cells.map((c) => [c.code, c]));
    assert.ok(Math.abs(at.b.cx - at.a.cx - Math.sqrt(3) * size) < 0.2, 'side by side, one hex width apart');
    assert.ok(at.c.cy < at.a.cy, 'row 1 is above row 0');
    assert.ok(at.c.cx > at.a.cx, 'an odd row is shifted right');
    assert.ok(width <= 300);
    for (const layout of ['even-r', 'odd-q', 'even-q']) assert.equal(hexLayout({ ...map, layout }).cells.length, 3);
  });

  test('colours: five steps, none for zero, the darkest for the most', () => {
    const bounds = colourSteps(37);
    assert.deepEqual(bounds, [10, 20, 30, 40, 50]);
    assert.equal(colourClass(0, bounds), 0);
    assert.equal(colourClass(1, bounds), 1);
    assert.equal(colourClass(37, bounds), 4);
    assert.equal(colourClass(999, bounds), 5);
    assert.deepEqual(legendSteps([1, 2, 3]), [{ k: 1, from: 1, to: 1 }, { k: 2, from: 2, to: 2 }, { k: 3, from: 3, to: 3 }]);
  });

  test('cells carry their code and count; labels only when there is room', () => {
    const map = parseHexJson(SAMPLE_MAP);
    const counts = new Map([['E14001172', 12], ['S14000021', 1]]);
    const { svg, bounds } = cartogram({ id: 'm', map, counts, width: 480, title: 'Map', desc: 'Most in London' });
    assert.equal(svg.attrs.role, 'img');
    assert.equal(nodes(svg, 'desc')[0].text, 'Most in London');
    const cells = byClass(svg, 'cartogram__cell');
    assert.equal(cells.length, 6);
    const london = cells.find((c) => c.attrs['data-code'] === 'E14001172');
    assert.equal(london.attrs['data-count'], 12);
    assert.ok(london.attrs.class.includes(`cartogram__cell--${colourClass(12, bounds)}`));
    assert.ok(byClass(svg, 'cartogram__label').length > 0);
    const small = cartogram({ id: 'm', map: { layout: 'odd-r', hexes: Array.from({ length: 40 }, (_, i) => ({ code: `c${i}`, q: i, r: 0, name: `Area ${i}` })) }, counts, width: 300 });
    assert.equal(byClass(small.svg, 'cartogram__label').length, 0, 'no labels on tiny hexagons');
  });

  test('labels are short; text on cells keeps 4.5:1 against the cell colours of site.css', () => {
    assert.equal(shortLabel('Cities of London and Westminster'), 'Cities of…');
    assert.equal(shortLabel('Oxford East'), 'Oxford East');
    assert.equal(shortLabel('Llanfairpwllgwyngyll'), 'Llanfairpwl…');
    assert.equal(shortLabel('Oxford East', 7), 'Oxford…');
    assert.equal(shortLabel('Holborn and St Pancras', 7), 'Holbor…');
    const css = readFileSync(join(REPO_ROOT, 'WebClient', 'css', 'site.css'), 'utf8');
    for (let k = 0; k <= 5; k += 1) {
      const fill = css.match(new RegExp(`\\.cartogram__cell--${k}, [^{]+\\{ fill: (#[0-9a-f]{6})`))?.[1];
      assert.ok(fill, `site.css colours step ${k}`);
      const text = lightTextOn(k) ? '#ffffff' : '#0b0c0c';
      assert.ok(contrast(fill, text) >= 4.5, `step ${k}: ${text} on ${fill} is ${contrast(fill, text).toFixed(2)}:1`);
      if (k > 0) assert.ok(contrast(fill, '#505a5f') >= 1 && contrast('#505a5f', '#ffffff') >= 3, 'cells are outlined at 3:1 against the page');
    }
    for (const stroke of ['#1d70b8', '#00703c', '#505a5f']) assert.ok(contrast(stroke, '#ffffff') >= 3, `${stroke} on white`);
  });
});
