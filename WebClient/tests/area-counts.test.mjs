// The petition page's signatures by area: the pure logic of js/area-counts.js (the `petition:{id}:areas` topic,
// Protocol/PROTOCOL.md §6.5, and the names of GET /petitions/{id}.json), fed with the protocol's examples, and the
// section of templates/petition.mustache that shows them (hidden without JavaScript).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  AREA_KINDS, NAMES_REFETCH_MS, TOP_CONSTITUENCIES, applyAreasEvent, areaNames, areaRows, areasFromSnapshot,
  emptyAreas, eventNames, mergeNames, moreAreasText, namesRefetchDelay, totalOf, unknownCodes,
} from '../js/area-counts.js';
import { EventName, petitionAreasTopic } from '../js/constants.js';
import * as contexts from './support/contexts.mjs';
import { REPO_ROOT, serverExample } from './support/fakes.mjs';
import { byId, tags } from './support/html.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const plain = (areas) => Object.fromEntries(AREA_KINDS.map((kind) => [kind, Object.fromEntries(areas[kind])]));

/** GET /petitions/{id}.json as the server writes it (the parts the page reads). */
const petitionDocument = () => ({
  data: {
    type: 'petition',
    id: 1,
    attributes: {
      signatures_by_country: [{ name: 'United Kingdom', code: 'GB', signature_count: 2 }],
      signatures_by_constituency: [
        { name: 'Cities of London and Westminster', ons_code: 'E14001172', mp: 'Member for Cities of London and Westminster', signature_count: 1 },
        { name: 'Oxford East', ons_code: 'E14001398', mp: null, signature_count: 1 },
      ],
      signatures_by_region: [
        { name: 'London', ons_code: 'E15000007', signature_count: 1 },
        { name: 'South East', ons_code: 'E15000008', signature_count: 1 },
      ],
    },
  },
});

describe('the areas state', () => {
  test('a snapshot: every area with a whole count above 0', () => {
    const snapshot = serverExample('snapshot-petition-areas');
    assert.equal(snapshot.topic, petitionAreasTopic(1));
    const areas = areasFromSnapshot(snapshot.data);
    assert.deepEqual(plain(areas), {
      countries: snapshot.data.countries, constituencies: snapshot.data.constituencies, regions: snapshot.data.regions,
    });
    assert.deepEqual(plain(areasFromSnapshot({ countries: { GB: 3, FR: 0, XX: -1, YY: '4', ZZ: 1.5 }, regions: null })),
      { countries: { GB: 3 }, constituencies: {}, regions: {} }, 'zero, negative and non-integer counts are dropped');
    assert.deepEqual(plain(areasFromSnapshot(null)), plain(emptyAreas()));
  });

  test('an event sets the codes it gives, keeps the others, and 0 removes an area', () => {
    const before = areasFromSnapshot(serverExample('snapshot-petition-areas').data);
    const event = serverExample('event-areas');
    assert.equal(event.event, EventName.AREAS);
    const after = applyAreasEvent(before, event.data);
    assert.equal(after.constituencies.get('E14001172'), 388);
    assert.equal(after.regions.get('E15000007'), 1020);
    assert.equal(after.countries.get('GB'), 10413);
    assert.equal(after.constituencies.get('S14000021'), 1, 'a constituency new to the topic is added');
    assert.equal(after.constituencies.get('E14001290'), 632, 'untouched codes keep their count');
    assert.equal(before.constituencies.get('E14001172'), 387, 'the input is left untouched');

    const invalidated = applyAreasEvent(after, { countries: { GB: 10409 }, constituencies: { E14001096: 0 }, regions: { E15000008: 540 }, petition_id: 1 });
    assert.ok(!invalidated.constituencies.has('E14001096'), 'an area that lost all its signatures leaves the table');
    assert.equal(invalidated.regions.get('E15000008'), 540);
    const added = applyAreasEvent(invalidated, { countries: {}, constituencies: { W14000001: 1 }, regions: {}, petition_id: 1 });
    assert.equal(added.constituencies.get('W14000001'), 1, 'a new code is added');
    assert.deepEqual(plain(applyAreasEvent(added, { regions: { E15000007: 'x' }, other: { A: 1 } })), plain(added), 'garbage changes nothing');
  });

  test('total of a kind', () => {
    const areas = areasFromSnapshot(serverExample('snapshot-petition-areas').data);
    assert.equal(totalOf(areas.regions), 1019 + 752);
    assert.equal(totalOf(new Map()), 0);
  });
});

describe('area names', () => {
  test('from GET /petitions/{id}.json: constituencies with their member, countries by code', () => {
    const names = areaNames(petitionDocument());
    assert.deepEqual(names.regions.get('E15000007'), { name: 'London' });
    assert.deepEqual(names.constituencies.get('E14001172'), { name: 'Cities of London and Westminster', mp: 'Member for Cities of London and Westminster' });
    assert.deepEqual(names.constituencies.get('E14001398'), { name: 'Oxford East', mp: null });
    assert.deepEqual(names.countries.get('GB'), { name: 'United Kingdom' });
    const empty = areaNames({ data: { attributes: { signatures_by_region: [{ ons_code: 'X', name: '' }, null, { name: 'No code' }] } } });
    assert.equal(empty.regions.size, 0);
    assert.equal(areaNames(null).constituencies.size, 0);
  });

  test('a newer fetch adds and updates names; an area gone from the document keeps its name', () => {
    const first = areaNames(petitionDocument());
    const second = areaNames({ data: { attributes: { signatures_by_region: [{ name: 'Wales', ons_code: 'W15000001', signature_count: 1 }] } } });
    const merged = mergeNames(first, second);
    assert.equal(merged.regions.get('W15000001').name, 'Wales');
    assert.equal(merged.regions.get('E15000007').name, 'London');
    assert.equal(mergeNames().regions.size, 0);
  });

  test("from an areas event: the names of the areas new to the topic, in the fetch's shape", () => {
    const event = serverExample('event-areas');
    const names = eventNames(event.data);
    assert.deepEqual(names.constituencies.get('S14000021'), { name: 'Edinburgh South', mp: 'Member for Edinburgh South' });
    assert.deepEqual(names.regions.get('S15000001'), { name: 'Scotland' });
    assert.deepEqual(names.countries.get('DE'), { name: 'Germany' });
    assert.ok(!names.constituencies.has('E14001172'), 'an area already counted comes without its name');
    // After the event every area of the page has a name: the page's own (at render) and the event's (new ones).
    const areas = applyAreasEvent(areasFromSnapshot(serverExample('snapshot-petition-areas').data), event.data);
    const page = areaNames({ data: { attributes: {
      signatures_by_constituency: ['E14001096', 'E14001172', 'E14001290', 'E14001398'].map((code) => ({ name: code + ' name', ons_code: code, mp: null })),
      signatures_by_region: [{ name: 'London', ons_code: 'E15000007' }, { name: 'South East', ons_code: 'E15000008' }],
    } } });
    assert.deepEqual(unknownCodes(areas, page), ['S14000021', 'S15000001'], 'without the names: two codes to fetch');
    assert.deepEqual(unknownCodes(areas, mergeNames(page, names)), [], 'with them: nothing to fetch');
    const member = eventNames({ names: { constituencies: { W14000111: { name: 'Cardiff East', mp: null }, X: { name: 'X', mp: '' } } } });
    assert.deepEqual(member.constituencies.get('W14000111'), { name: 'Cardiff East', mp: null });
    assert.equal(member.constituencies.get('X').mp, null, 'an empty member is none');
  });

  test('event names that are missing or malformed name nothing', () => {
    for (const data of [null, {}, { names: null }, { names: 'x' }, { names: { regions: ['London'] } },
      { names: { regions: { E15000007: 'London', E15000008: { name: '' }, '': { name: 'No code' }, W15000001: { name: 7 } } } }]) {
      const names = eventNames(data);
      assert.deepEqual(AREA_KINDS.map((kind) => names[kind].size), [0, 0, 0], JSON.stringify(data));
    }
  });

  test('unknown codes: areas with signatures and no name (regions and constituencies)', () => {
    const areas = areasFromSnapshot(serverExample('snapshot-petition-areas').data);
    const names = areaNames(petitionDocument());
    assert.deepEqual(unknownCodes(areas, names), ['E14001096', 'E14001290']);
    assert.deepEqual(unknownCodes(areas, names, ['countries']), ['FR', 'GB', 'IE'].filter((c) => c !== 'GB'));
    assert.deepEqual(unknownCodes(emptyAreas(), names), []);
  });

  test('names are fetched again only for a new code, at most once a minute, never twice at once', () => {
    assert.equal(namesRefetchDelay({ unknown: 0, lastFetchAt: null, now: 0 }), null, 'every code has a name');
    assert.equal(namesRefetchDelay({ unknown: 2, lastFetchAt: null, now: 5 }), 0, 'never fetched: now');
    assert.equal(namesRefetchDelay({ unknown: 1, lastFetchAt: 1000, now: 11_000 }), NAMES_REFETCH_MS - 10_000);
    assert.equal(namesRefetchDelay({ unknown: 1, lastFetchAt: 1000, now: 1000 + NAMES_REFETCH_MS }), 0);
    assert.equal(namesRefetchDelay({ unknown: 1, lastFetchAt: 1000, now: 500_000 }), 0);
    assert.equal(namesRefetchDelay({ unknown: 1, lastFetchAt: 1000, now: 2000, inFlight: true }), null);
    assert.equal(namesRefetchDelay({ unknown: 1, lastFetchAt: 0, now: 10, intervalMs: 100 }), 90);
  });
});

describe('the tables', () => {
  test('most signatures first, then by name, then by code; the code when the name is unknown', () => {
    const counts = new Map([['B', 5], ['A', 5], ['C', 9], ['Z', 1], ['N', 5]]);
    const names = new Map([['A', { name: 'Zeta' }], ['B', { name: 'Alpha' }], ['C', { name: 'Gamma', mp: 'Member G' }]]);
    const table = areaRows(counts, names);
    assert.deepEqual(table.rows.map((r) => r.code), ['C', 'B', 'N', 'A', 'Z']);
    assert.deepEqual(table.rows[0], { code: 'C', name: 'Gamma', count: 9, mp: 'Member G', named: true });
    assert.deepEqual(table.rows[2], { code: 'N', name: 'N', count: 5, mp: null, named: false });
    assert.equal(table.total, 5);
    assert.equal(table.more, 0);
  });

  test('the top N of the constituencies, with how many were left out and their signatures', () => {
    const counts = new Map(Array.from({ length: 14 }, (_, i) => [`E1400${String(i).padStart(4, '0')}`, 100 - i]));
    const table = areaRows(counts, new Map(), { limit: TOP_CONSTITUENCIES });
    assert.equal(TOP_CONSTITUENCIES, 10);
    assert.equal(table.rows.length, 10);
    assert.equal(table.rows[0].count, 100);
    assert.equal(table.shown, 10);
    assert.equal(table.more, 4);
    assert.equal(table.moreSignatures, 90 + 89 + 88 + 87);
    assert.equal(table.total, 14);
    assert.equal(areaRows(new Map([['A', 1]]), new Map(), { limit: 10 }).more, 0);
    assert.deepEqual(areaRows(null, null).rows, []);
  });

  test('names sort in the page\'s language', () => {
    const counts = new Map([['1', 1], ['2', 1]]);
    const names = new Map([['1', { name: 'Île-de-France' }], ['2', { name: 'Occitanie' }]]);
    assert.deepEqual(areaRows(counts, names, { lang: 'fr' }).rows.map((r) => r.name), ['Île-de-France', 'Occitanie']);
  });

  test('the note under the constituency table', () => {
    const format = new Intl.NumberFormat('en').format;
    assert.equal(moreAreasText(10, 0, 0, format), '');
    assert.equal(moreAreasText(10, 1, 3, format), 'Only the 10 constituencies with the most signatures are shown: 1 more, with 3 signatures, is not.');
    assert.equal(moreAreasText(10, 12, 1340, format), 'Only the 10 constituencies with the most signatures are shown: 12 more, with 1,340 signatures between them, are not.');
    assert.equal(moreAreasText(10, 2, 1, format), 'Only the 10 constituencies with the most signatures are shown: 2 more, with 1 signature between them, are not.');
  });

  test('the note in the page language', async () => {
    const { translator } = await import('../js/i18n.js');
    const format = new Intl.NumberFormat('fr').format;
    const en = translator(contexts.strings('en'), { lang: 'en' }), fr = translator(contexts.strings('fr'), { lang: 'fr' });
    assert.equal(moreAreasText(10, 12, 1340, new Intl.NumberFormat('en').format, en),
      'Only the 10 constituencies with the most signatures are shown: 12 more, with 1,340 signatures between them, are not.');
    assert.equal(moreAreasText(10, 12, 1340, format, fr),
      `Seules les 10 circonscriptions qui comptent le plus de signatures sont affichées : 12 autres, avec ${format(1340)} signatures en tout, ne le sont pas.`);
    assert.match(moreAreasText(10, 1, 1, format, fr), /: 1 autre, avec 1 signature, ne l’est pas\.$/);
    assert.equal(moreAreasText(10, 0, 0, format, fr), '');
  });
});

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const page = (name, context) => render(templates[name], context, templates);

describe('the petition page\'s areas section', () => {
  const html = page('petition', contexts.petitionContext());

  test('hidden without JavaScript, with the areas topic of the petition for the script', () => {
    const section = byId(html, 'areas');
    assert.equal(section.name, 'section');
    assert.ok(section.attrs.has('hidden'), 'nothing new without JavaScript');
    assert.equal(section.attrs.get('data-areas-topic'), 'petition:1:areas');
    assert.equal(section.attrs.get('aria-labelledby'), 'areas-heading');
    assert.ok(byId(html, 'areas-empty').attrs.has('hidden'));
    assert.ok(byId(html, 'areas-constituencies-more').attrs.has('hidden'));
    assert.equal(byId(html, 'areas-data-link').attrs.get('href'), '/petitions/1.json');
  });

  test('two tables with captions, column headers and empty bodies the script fills; not live regions', () => {
    for (const kind of ['regions', 'constituencies']) {
      assert.equal(byId(html, `areas-${kind}`).name, 'table');
      assert.equal(byId(html, `areas-${kind}-body`).name, 'tbody');
      assert.ok(byId(html, `areas-${kind}-wrap`).attrs.has('hidden'), 'shown once it has rows');
      assert.match(html, new RegExp(`<tbody id="areas-${kind}-body"></tbody>`));
    }
    assert.match(html, /<caption class="table__caption" id="areas-regions-caption">Signatures by region<\/caption>/);
    assert.match(html, /<caption class="table__caption" id="areas-constituencies-caption">Signatures by constituency<\/caption>/);
    const section = html.slice(html.indexOf('id="areas"'), html.indexOf('</section>', html.indexOf('id="areas"')));
    assert.doesNotMatch(section, /aria-live|role="(status|alert|log)"/, 'area updates are not announced');
    assert.equal(tags(section).filter((t) => t.name === 'th' && t.attrs.get('scope') === 'col').length, 4);
  });

  test('the embed page has no areas', () => {
    const embed = readFileSync(join(REPO_ROOT, 'WebClient', 'templates', 'embed-petition.mustache'), 'utf8');
    assert.doesNotMatch(embed, /areas/);
  });

  test('in French with the page strings', () => {
    const fr = page('petition', { ...contexts.petitionContext(), ...contexts.i18nContext('fr', '/petitions/1') });
    assert.match(fr, /id="areas-heading">D’où viennent les signatures</);
    assert.match(fr, /id="areas-regions-caption">Signatures par région</);
  });
});
