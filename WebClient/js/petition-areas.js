// The petition page's signatures by region and constituency in the browser (petition-page.js wires it to the
// page's socket): area-counts.js holds the state and the rows; this draws section#areas and fetches names.
//
// DOM hooks: section#areas[data-areas-topic] (#areas-regions-body and #areas-constituencies-body > tr[data-code],
// #areas-regions-wrap, #areas-constituencies-wrap, #areas-constituencies-more, #areas-empty), #hc-area-names.

import {
  TOP_CONSTITUENCIES, applyAreasEvent, areaNames, areaRows, areasFromSnapshot, emptyAreas, eventNames, mergeNames,
  moreAreasText, namesRefetchDelay, unknownCodes,
} from './area-counts.js';
import { EventName } from './constants.js';
import { h, reconcileList } from './dom.js';

/**
 * The signatures by region and constituency: subscribes to `petition:{id}:areas` (on the same socket), takes the
 * names of the areas counted at render from the page and those of areas new since from the `areas` events, fetches
 * /petitions/{id}.json only for a code still without a name (at most once a minute: an event names at most 100 areas,
 * and a snapshot after a reconnect none), and keeps the two tables in step. The section stays hidden until the first snapshot. Nothing is announced: the tables are
 * not live regions (the count has its own throttled announcer).
 */
export function enhanceAreas({ doc, win, t, live, fetchImpl, section, petitionId, format }) {
  const lang = doc.documentElement.lang || 'en';
  const el = {
    empty: doc.getElementById('areas-empty'),
    regionsWrap: doc.getElementById('areas-regions-wrap'),
    regions: doc.getElementById('areas-regions-body'),
    constituenciesWrap: doc.getElementById('areas-constituencies-wrap'),
    constituencies: doc.getElementById('areas-constituencies-body'),
    more: doc.getElementById('areas-constituencies-more'),
  };
  let areas = emptyAreas();
  // The names of the areas counted when the page was rendered come with it (#hc-area-names, the shape of
  // /petitions/{id}.json): a code is never shown while names load; only a code new since then is fetched.
  let names = mergeNames(mergeNames(), areaNames(readJsonBlock(doc, 'hc-area-names')));
  let received = false;
  let lastFetchAt = null;
  let inFlight = false;
  let timer = null;

  async function fetchNames() {
    if (!fetchImpl || !petitionId) return;
    inFlight = true;
    lastFetchAt = Date.now();
    try {
      const response = await fetchImpl(`/petitions/${encodeURIComponent(petitionId)}.json`, {
        headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
      if (response.ok) {
        names = mergeNames(names, areaNames(await response.json()));
        render();
      }
    } catch { /* the codes stay shown; the next new code tries again */ } finally {
      inFlight = false;
    }
    scheduleNames();
  }

  function scheduleNames() {
    if (timer !== null) return;
    const delay = namesRefetchDelay({ unknown: unknownCodes(areas, names).length, lastFetchAt, now: Date.now(), inFlight });
    if (delay === null) return;
    timer = win.setTimeout(() => { timer = null; fetchNames(); }, delay);
  }

  function createRow() {
    return h(doc, 'tr', {},
      h(doc, 'th', { attrs: { scope: 'row' } }, h(doc, 'span', { className: 'areas__name' }), h(doc, 'span', { className: 'areas__mp' })),
      h(doc, 'td', { className: 'table__num areas__count' }));
  }

  function updateRow(tr, row) {
    tr.dataset.code = row.code;
    tr.dataset.count = String(row.count);
    tr.querySelector('.areas__name').textContent = row.name;
    const mp = tr.querySelector('.areas__mp');
    mp.textContent = row.mp ?? '';
    mp.hidden = !row.mp;
    tr.querySelector('.areas__count').textContent = format(row.count);
  }

  function fill(body, wrap, table) {
    if (!body) return;
    reconcileList(body, table.rows, { key: (row) => row.code, elementKey: (tr) => tr.dataset.code, create: createRow, update: updateRow });
    if (wrap) wrap.hidden = table.rows.length === 0;
  }

  function render() {
    if (!received) return;
    const regions = areaRows(areas.regions, names.regions, { lang });
    const constituencies = areaRows(areas.constituencies, names.constituencies, { lang, limit: TOP_CONSTITUENCIES });
    fill(el.regions, el.regionsWrap, regions);
    fill(el.constituencies, el.constituenciesWrap, constituencies);
    if (el.more) {
      el.more.textContent = moreAreasText(constituencies.shown, constituencies.more, constituencies.moreSignatures, format, t);
      el.more.hidden = constituencies.more === 0;
    }
    if (el.empty) el.empty.hidden = regions.total + constituencies.total > 0;
    section.hidden = false;
  }

  live.subscribe(section.dataset.areasTopic, {
    onSnapshot(data) {
      areas = areasFromSnapshot(data);
      received = true;
      render();
      scheduleNames();
    },
    onEvent(name, data) {
      if (name !== EventName.AREAS) return;
      areas = applyAreasEvent(areas, data);
      names = mergeNames(names, eventNames(data)); // the names of areas new to the topic come with the event
      render();
      scheduleNames();
    },
  });
  if (doc.getElementById('hc-area-names')) scheduleNames(); else fetchNames();
}

/** The JSON of a `<script type="application/json">` block, or null. */
export function readJsonBlock(doc, id) {
  try {
    return JSON.parse(doc.getElementById(id)?.textContent ?? 'null');
  } catch {
    return null;
  }
}

