// Pure logic of the petition page's signatures by area (templates/petition.mustache, js/petition-page.js): the
// `petition:{id}:areas` topic (Protocol/PROTOCOL.md §6.5) held as code -> count maps, its `areas` events merged in,
// the area names from GET /petitions/{id}.json (`signatures_by_region`, `signatures_by_constituency`,
// `signatures_by_country`; Protocol/PETITIONS.md §5) or from an event's `names`, when to fetch the names again, and
// the rows of the tables
// (most signatures first, the top N with how many more). No DOM, no I/O.
//
//   let areas = areasFromSnapshot(snapshot.data);          // {countries, constituencies, regions}: Map code -> n
//   areas = applyAreasEvent(areas, event.data);             // set each given code, keep the others, 0 removes
//   const names = areaNames(await (await fetch('/petitions/1.json')).json());
//   areaRows(areas.constituencies, names.constituencies, { limit: 10 }); // {rows, total, shown, more}

/** The three maps of the topic, in the order of its data. */
export const AREA_KINDS = Object.freeze(['countries', 'constituencies', 'regions']);

/** Constituencies shown in the page's table; the others are counted in a note. */
export const TOP_CONSTITUENCIES = 10;

/** Names are fetched again at most this often, and only when a code without a name shows up. */
export const NAMES_REFETCH_MS = 60_000;

const isCount = (n) => Number.isSafeInteger(n) && n >= 0;
const isCode = (code) => typeof code === 'string' && code !== '';

/** No area at all (each kind an empty Map). */
export function emptyAreas() {
  return { countries: new Map(), constituencies: new Map(), regions: new Map() };
}

/**
 * The state from a snapshot's `data` (`{"countries": {code: n}, "constituencies": {…}, "regions": {…},
 * "petition_id"}`): every area with a count above 0. Anything that is not a whole count is left out.
 */
export function areasFromSnapshot(data) {
  return applyAreasEvent(emptyAreas(), data);
}

/**
 * The state after an `areas` event: each code the event gives gets its new count (0 removes the area, as an
 * invalidation can take all of an area's signatures), the others keep theirs. The input is left untouched.
 */
export function applyAreasEvent(areas, data) {
  const next = {};
  for (const kind of AREA_KINDS) {
    const counts = new Map(areas?.[kind] ?? []);
    const changes = data && typeof data === 'object' ? data[kind] : null;
    if (changes && typeof changes === 'object' && !Array.isArray(changes)) {
      for (const [code, n] of Object.entries(changes)) {
        if (!isCode(code) || !isCount(n)) continue;
        if (n === 0) counts.delete(code); else counts.set(code, n);
      }
    }
    next[kind] = counts;
  }
  return next;
}

/**
 * The area names of GET /petitions/{id}.json (`data.attributes.signatures_by_*`): `{countries, constituencies,
 * regions}`, each a Map code -> `{name}` (constituencies also `{mp}`, a string or null). Entries without a code
 * are skipped; a missing or empty name is left out (the code is shown instead).
 */
export function areaNames(body) {
  const attributes = body?.data?.attributes ?? {};
  const read = (list, codeKey, withMp = false) => {
    const names = new Map();
    for (const entry of Array.isArray(list) ? list : []) {
      if (!entry || typeof entry !== 'object' || !isCode(entry[codeKey])) continue;
      if (typeof entry.name !== 'string' || entry.name.trim() === '') continue;
      const value = { name: entry.name };
      if (withMp) value.mp = typeof entry.mp === 'string' && entry.mp.trim() !== '' ? entry.mp : null;
      names.set(entry[codeKey], value);
    }
    return names;
  };
  return {
    countries: read(attributes.signatures_by_country, 'code'),
    constituencies: read(attributes.signatures_by_constituency, 'ons_code', true),
    regions: read(attributes.signatures_by_region, 'ons_code'),
  };
}

/**
 * The names an `areas` event carries for the areas new to the topic (`data.names`: `{"countries": {code: {name}},
 * "constituencies": {code: {name, mp}}, "regions": {code: {name}}}`, Protocol/PROTOCOL.md §6.5), in the shape of
 * `areaNames`, so a new area shows its name at once. Missing or malformed entries are skipped (their codes stay
 * unknown, and the fetch of /petitions/{id}.json names them).
 */
export function eventNames(data) {
  const given = data && typeof data === 'object' ? data.names : null;
  const out = {};
  for (const kind of AREA_KINDS) {
    const names = new Map();
    const entries = given && typeof given === 'object' ? given[kind] : null;
    if (entries && typeof entries === 'object' && !Array.isArray(entries)) {
      for (const [code, entry] of Object.entries(entries)) {
        if (!isCode(code) || !entry || typeof entry !== 'object') continue;
        if (typeof entry.name !== 'string' || entry.name.trim() === '') continue;
        const value = { name: entry.name };
        if (kind === 'constituencies') value.mp = typeof entry.mp === 'string' && entry.mp.trim() !== '' ? entry.mp : null;
        names.set(code, value);
      }
    }
    out[kind] = names;
  }
  return out;
}

/** Names known before, updated by a newer fetch (an area that lost its signatures keeps its name). */
export function mergeNames(known, fresh) {
  const out = {};
  for (const kind of AREA_KINDS) out[kind] = new Map([...(known?.[kind] ?? []), ...(fresh?.[kind] ?? [])]);
  return out;
}

/** The codes of `kinds` that have signatures but no name yet, in code order. */
export function unknownCodes(areas, names, kinds = ['regions', 'constituencies']) {
  const codes = [];
  for (const kind of kinds) {
    for (const code of areas?.[kind]?.keys() ?? []) {
      if (!names?.[kind]?.has(code)) codes.push(code);
    }
  }
  return codes.sort();
}

/**
 * How long to wait before fetching the names again: null when no fetch is needed (every code has a name, or a fetch
 * is under way), 0 for now, else the milliseconds until a minute has passed since the last fetch started.
 * @param {{unknown: number, lastFetchAt: number|null, now: number, inFlight?: boolean, intervalMs?: number}} state
 */
export function namesRefetchDelay({ unknown, lastFetchAt, now, inFlight = false, intervalMs = NAMES_REFETCH_MS }) {
  if (!(unknown > 0) || inFlight) return null;
  if (lastFetchAt === null || lastFetchAt === undefined) return 0;
  return Math.max(0, lastFetchAt + intervalMs - now);
}

/**
 * The rows of an area table: most signatures first, then by name (in the page's language), then by code; names
 * from `names` (the code when unknown). With `limit`, the first `limit` rows and how many areas were left out.
 * @returns {{rows: {code: string, name: string, count: number, mp: string|null, named: boolean}[], total: number, shown: number, more: number, moreSignatures: number}}
 */
export function areaRows(counts, names, { limit = Infinity, lang = 'en' } = {}) {
  const collator = new Intl.Collator(lang);
  const all = [];
  for (const [code, count] of counts ?? []) {
    if (!isCode(code) || !isCount(count) || count === 0) continue;
    const known = names?.get?.(code);
    all.push({ code, name: known?.name ?? code, count, mp: known?.mp ?? null, named: Boolean(known) });
  }
  all.sort((a, b) => b.count - a.count || collator.compare(a.name, b.name) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const rows = Number.isFinite(limit) ? all.slice(0, Math.max(0, limit)) : all;
  const left = all.slice(rows.length);
  return {
    rows,
    total: all.length,
    shown: rows.length,
    more: left.length,
    moreSignatures: left.reduce((sum, row) => sum + row.count, 0),
  };
}

/** The sum of an area map's counts. */
export function totalOf(counts) {
  let sum = 0;
  for (const n of counts?.values() ?? []) sum += n;
  return sum;
}

/**
 * The note under the constituency table: '' when nothing was left out, else e.g. "Only the 10 constituencies with
 * the most signatures are shown: 12 more, with 340 signatures between them, are not." (English, as the rest of the
 * petition page's script).
 */
export function moreAreasText(shown, more, moreSignatures, format = (n) => String(n), t = undefined) {
  if (!(more > 0)) return '';
  // In the page's language when its strings have the sentence (i18n.js translator), else in English.
  if (t && typeof t.has === 'function' && t.has('petition_areas_more_other') && t.has('petition_signatures_other')) {
    const signatures = t.plural('petition_signatures', moreSignatures, { n: format(moreSignatures) });
    return t.plural('petition_areas_more', more, { n: format(more), shown: format(shown), signatures });
  }
  const top = `Only the ${format(shown)} ${shown === 1 ? 'constituency' : 'constituencies'} with the most signatures ${shown === 1 ? 'is' : 'are'} shown`;
  const signatures = `${format(moreSignatures)} ${moreSignatures === 1 ? 'signature' : 'signatures'}`;
  return more === 1
    ? `${top}: 1 more, with ${signatures}, is not.`
    : `${top}: ${format(more)} more, with ${signatures} between them, are not.`;
}
