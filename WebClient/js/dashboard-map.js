// The dashboard's map (dashboard-page.js gives it the tally's petitions at each render): a hex cartogram of one
// petition's signatures by constituency, with its legend and a table of the same numbers. The map is
// /static/{version}/maps/areas.hex.json (HexJSON keyed by the open data's codes; WebClient/README.md, "Maps", says how
// a parliament supplies its own); the counts come from the chosen petition's `petition:{id}:areas` topic; region names
// (and constituency names the map lacks) from the petition's open data, at most once a minute while a code is still
// without a name. The petition shown is the one chosen in the select, else the busiest open one.
//
// DOM hooks: #area-map-section (hidden while there is no petition), #area-map, select#area-map-petition,
// #area-map-plot, ul#area-map-legend, tbody#area-map-body, #area-map-status (the map could not be read),
// #area-map-summary.

import { petitionAreasTopic } from './constants.js';
import {
  applyAreasEvent, areaNames, areasFromSnapshot, emptyAreas, mergeNames, namesRefetchDelay, unknownCodes,
} from './area-counts.js';
import { cartogram, legendSteps, parseHexJson, renderSvg } from './charts.js';
import { mapModel } from './dashboard-models.js';
import { h, reconcileList } from './dom.js';

// Beside this module, so that it comes from the same version of the static files (/static/{version}/maps/…).
export const MAP_URL = new URL('../maps/areas.hex.json', import.meta.url).pathname;

/** The petition the map shows by default: the open one with the most signatures, else the first with the most. */
export function defaultMapPetition(petitions) {
  const open = petitions.filter((p) => p.state === 'open');
  return [...(open.length ? open : petitions)].sort((a, b) => (b.signature_count ?? 0) - (a.signature_count ?? 0))[0]?.id ?? null;
}

/**
 * Wires the map. `subscribe(topic, handlers)`: LiveSocket's (answers an unsubscribe function); `getJson(url)`: a
 * promise of the parsed answer, or null when there is no fetch (then no map and no names); `onChange()`: something
 * arrived, draw again (the page batches it in a frame). Returns `render(petitions)` and `chosen()`, or null when the
 * page has no map.
 */
export function wireAreaMap({ doc, win, t, fmt, subscribe, getJson = null, now = () => Date.now(), onChange = () => {} }) {
  const $ = (id) => doc.getElementById(id);
  const el = {
    section: $('area-map-section'), map: $('area-map'), select: $('area-map-petition'), plot: $('area-map-plot'),
    legend: $('area-map-legend'), body: $('area-map-body'), status: $('area-map-status'), summary: $('area-map-summary'),
  };
  if (!el.map || !el.select) return null;
  let map = null;
  let mapFailed = false;
  let areas = emptyAreas();
  let names = { countries: new Map(), constituencies: new Map(), regions: new Map() };
  let namesFetchedAt = null;
  let namesInFlight = false;
  let petition = null;
  let drawnKey = '';
  let stopAreas = null;

  function choose(id) {
    if (id === petition) return;
    stopAreas?.();
    petition = id;
    areas = emptyAreas();
    namesFetchedAt = null;
    stopAreas = subscribe(petitionAreasTopic(id), {
      onSnapshot(data) { areas = areasFromSnapshot(data); fetchNames(); onChange(); },
      onEvent(name, data) { if (name === 'areas') { areas = applyAreasEvent(areas, data); fetchNames(); onChange(); } },
    });
  }

  /** Region names (and constituency names the map lacks) from the petition's open data, at most once a minute. */
  function fetchNames() {
    const delay = namesRefetchDelay({ unknown: unknownCodes(areas, names).length, lastFetchAt: namesFetchedAt, now: now(), inFlight: namesInFlight });
    if (delay !== 0 || !getJson || petition === null) return;
    namesInFlight = true;
    namesFetchedAt = now();
    const id = petition;
    getJson(`/petitions/${id}.json`)
      .then((json) => { if (id === petition) { names = mergeNames(names, areaNames(json)); onChange(); } })
      .catch((error) => win.console?.warn?.('dashboard: no area names', error))
      .finally(() => { namesInFlight = false; });
  }

  function render(petitions) {
    if (el.section) el.section.hidden = petitions.length === 0;
    reconcileList(el.select, petitions, {
      key: (p) => p.id,
      create: (p) => h(doc, 'option', { attrs: { value: p.id } }),
      update: (option, p) => {
        const text = p.action ?? `#${p.id}`;
        if (option.textContent !== text) option.textContent = text;
      },
    });
    if (petition === null || !petitions.some((p) => p.id === petition)) {
      const chosen = defaultMapPetition(petitions);
      if (chosen !== null) choose(chosen);
    }
    if (petition !== null && el.select.value !== String(petition)) el.select.value = String(petition);
    el.map.hidden = false;
    const width = Math.max(200, Math.min(640, Math.round(el.plot?.clientWidth || 480)));
    // Drawn again only when something it shows changed (tallies come every second).
    const key = JSON.stringify([width, petition, Boolean(map), mapFailed, [...areas.constituencies], [...names.regions.keys()], [...names.constituencies.keys()]]);
    if (key === drawnKey) return false;
    drawnKey = key;
    const model = mapModel({ map, areas, names, t, fmt });
    if (map && el.plot) {
      const drawn = cartogram({ id: 'area-map-svg', map, counts: areas.constituencies, width, title: model.title, desc: model.desc, formatValue: fmt.number });
      el.plot.replaceChildren(renderSvg(doc, drawn.svg));
      el.legend?.replaceChildren(
        h(doc, 'li', { className: 'chart__legend-item' }, h(doc, 'span', { className: 'cartogram__swatch cartogram__swatch--0', attrs: { 'aria-hidden': 'true' } }), t('map_legend_none')),
        ...legendSteps(drawn.bounds).map((step) => h(doc, 'li', { className: 'chart__legend-item' },
          h(doc, 'span', { className: `cartogram__swatch cartogram__swatch--${step.k}`, attrs: { 'aria-hidden': 'true' } }),
          step.from === step.to ? fmt.number(step.to) : `${fmt.number(step.from)}–${fmt.number(step.to)}`)));
    }
    if (el.status) {
      el.status.hidden = !mapFailed;
      el.status.textContent = mapFailed ? t('map_unavailable') : '';
    }
    if (el.summary) el.summary.textContent = t('chart_show_data');
    el.body?.replaceChildren(...model.rows.map((r) => h(doc, 'tr', { dataset: { code: r.code, count: r.count } },
      h(doc, 'th', { attrs: { scope: 'row' }, text: r.onMap ? r.name : `${r.name} (${t('map_off_map')})` }),
      h(doc, 'td', { text: r.region }),
      h(doc, 'td', { className: 'table__num', text: fmt.number(r.count) }))));
    return true;
  }

  el.select.addEventListener('change', () => {
    const id = Number(el.select.value);
    if (Number.isSafeInteger(id)) { choose(id); onChange(); }
  });
  if (getJson) {
    getJson(MAP_URL).then((json) => { map = parseHexJson(json); mapFailed = map === null; onChange(); })
      .catch(() => { mapFailed = true; onChange(); });
  }

  return { render, chosen: () => petition };
}
