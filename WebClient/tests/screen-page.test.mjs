// js/screen-page.js (screenView, pure) and templates/screen.mustache in each state: the state in words, never "on
// screen now" once ended, a panel instead of an empty stage, the join address and QR code, no status line.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { applySnapshot, emptySittingState, reduceSitting } from '../js/hearing-state.js';
import { translator } from '../js/i18n.js';
import { SCREEN_TOP, screenTimes, screenView, textSize } from '../js/screen-page.js';
import * as contexts from './support/contexts.mjs';
import { REPO_ROOT, serverExample } from './support/fakes.mjs';
import { byId, scriptOf, tags } from './support/html.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const strings = JSON.parse(readFileSync(join(REPO_ROOT, 'WebClient', 'i18n', 'en.json'), 'utf8'));
const t = translator(strings, { lang: 'en', onMissing: (key) => { throw new Error(`missing string ${key}`); } });
const time = (ms) => new Date(ms).toISOString().slice(11, 16);
const css = readFileSync(join(REPO_ROOT, 'WebClient', 'css', 'site.css'), 'utf8');
const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const page = (context) => render(templates.screen, context, templates);

describe('screenView', () => {
  const snapshot = serverExample('snapshot-sitting').data;

  test('live: "Live", the question on screen, the top of the queue', () => {
    const state = applySnapshot(emptySittingState(snapshot.id), { ...snapshot, state: 'live' });
    const view = screenView(state, { t, time });
    assert.equal(view.state, 'live');
    assert.equal(view.badge, 'Live');
    assert.equal(view.question?.id ?? null, state.onScreen?.id ?? null);
    assert.ok(view.top.length <= SCREEN_TOP);
  });

  test('ended: the end time in words, nothing on screen, no queue, whatever the chair left there', () => {
    let state = applySnapshot(emptySittingState(snapshot.id), { ...snapshot, state: 'live', on_screen: snapshot.questions[0] ?? null });
    state = reduceSitting(state, 'sitting', { state: 'ended', stream_started_at: '2026-11-29T14:00:00.000Z', ended_at: '2026-11-29T15:32:10.000Z' });
    const view = screenView(state, { t, time });
    assert.equal(view.state, 'ended');
    assert.equal(view.badge, 'Ended at 15:32');
    assert.equal(view.question, null);
    assert.deepEqual(view.top, []);
    const noTime = screenView({ ...state, sitting: { ...state.sitting, ended_at: null } }, { t, time });
    assert.equal(noTime.badge, 'Ended');
  });

  test('scheduled: when it starts, from the page; without a time, the server text stays', () => {
    const state = emptySittingState(1);
    assert.equal(screenView(state, { t, time, scheduledStart: '2026-11-29T14:00:00.000Z' }).badge, 'Starts at 14:00');
    assert.equal(screenView(state, { t, time, scheduledStart: '' }).badge, null);
    assert.equal(screenView(state, { t, time }).state, 'scheduled');
  });
});

describe('screen times: the date when it is not today, in the parliament\'s zone and the page\'s language', () => {
  const fr = translator(JSON.parse(readFileSync(join(REPO_ROOT, 'WebClient', 'i18n', 'fr.json'), 'utf8')), { lang: 'fr' });
  // 2026-12-07 23:30 UTC is already 8 December in Paris.
  const now = () => Date.parse('2026-12-07T23:30:00Z');

  test('a sitting that starts on another day says its date; today\'s says only the time', () => {
    const state = emptySittingState(1);
    const times = screenTimes('en', 'UTC', now);
    assert.equal(screenView(state, { t, ...times, scheduledStart: '2026-12-24T09:30:00Z' }).badge, 'Starts on December 24, 2026 at 9:30 AM');
    assert.equal(screenView(state, { t, ...times, scheduledStart: '2026-12-07T17:26:00Z' }).badge, 'Starts at 5:26 PM');
    const ended = reduceSitting(state, 'sitting', { state: 'ended', ended_at: '2026-12-06T15:32:00Z' });
    assert.equal(screenView(ended, { t, ...times }).badge, 'Ended on December 6, 2026 at 3:32 PM');
  });

  test('"today" is the parliament\'s: in Paris, 23:30 UTC is the next day', () => {
    const state = emptySittingState(1);
    const paris = screenTimes('fr', 'Europe/Paris', now);
    assert.equal(paris.isToday(Date.parse('2026-12-08T09:00:00Z')), true);
    assert.equal(paris.isToday(Date.parse('2026-12-07T12:00:00Z')), false);
    assert.equal(screenView(state, { t: fr, ...paris, scheduledStart: '2026-12-08T09:00:00Z' }).badge, 'Début à 10:00');
    assert.equal(screenView(state, { t: fr, ...paris, scheduledStart: '2026-12-07T16:26:00Z' }).badge, 'Début le 7 décembre 2026 à 17:26');
    assert.equal(screenTimes('en', 'UTC', now).isToday(Date.parse('2026-12-08T09:00:00Z')), false, 'in UTC it is still the 7th');
  });
});

describe('textSize', () => {
  test('smaller type for longer questions, counted in characters', () => {
    assert.equal(textSize('Why?'), 'large');
    assert.equal(textSize('x'.repeat(120)), 'large');
    assert.equal(textSize('x'.repeat(121)), 'medium');
    assert.equal(textSize('é'.repeat(220)), 'medium');
    assert.equal(textSize('😀'.repeat(221)), 'small');
    assert.equal(textSize(undefined), 'large');
    assert.ok(css.includes('.screen__text[data-size="small"]') && css.includes('.screen__text[data-size="medium"]'));
  });
});

describe('the screen template', () => {
  test('live with a question: the badge, the question, the join address and its QR code', () => {
    const html = page(contexts.screenContext());
    assert.match(html, /<body class="screen-body">/);
    const main = byId(html, 'main');
    assert.equal(main.attrs.get('data-page'), 'screen');
    assert.equal(main.attrs.get('data-state'), 'live');
    assert.match(html, /<p class="screen__badge" id="screen-state" data-state="live" data-start="2026-11-29T14:00:00.000Z">Live<\/p>/);
    assert.equal(byId(html, 'on-screen').attrs.get('data-question-id'), '9');
    const qr = byId(html, 'screen-qr');
    assert.equal(qr.name, 'img');
    assert.equal(qr.attrs.get('src'), '/sittings/1/qr.svg');
    assert.equal(qr.attrs.get('alt'), 'QR code of the address hemicycle.example/sittings/1');
    assert.match(html, /<p class="screen__address" id="join-address">hemicycle.example\/sittings\/1<\/p>/);
    assert.ok(html.includes(scriptOf('screen-page.js')));
  });

  test('no status line for the room: #live-status is visually hidden; the offline notice shows only when offline', () => {
    const html = page(contexts.screenContext());
    assert.match(byId(html, 'live-status').attrs.get('class'), /\bvisually-hidden\b/);
    assert.ok(css.includes('.screen__connection { display: none;'));
    assert.ok(css.includes('.screen[data-connection="offline"] .screen__connection { display: block; }'));
  });

  test('a panel for every state without a question; "on screen now" never shows once ended', () => {
    const waiting = page({ ...contexts.screenContext(), on_screen: undefined });
    assert.equal(byId(waiting, 'on-screen').attrs.get('data-question-id'), '');
    for (const id of ['screen-waiting', 'screen-scheduled', 'screen-ended']) assert.ok(byId(waiting, id), `#${id} is rendered`);
    assert.ok(css.includes('.screen__current { display: none; }'), 'the on-screen section is hidden unless a rule shows it');
    assert.ok(css.includes('.screen[data-state="live"] #on-screen:not([data-question-id=""])'));
    assert.ok(!/\.screen\[data-state="ended"\] #on-screen/.test(css), 'no rule shows it when ended');
    assert.ok(css.includes('.screen[data-state="ended"] .screen__panel--ended { display: block; }'));
    assert.ok(css.includes('.screen[data-state="live"] #on-screen[data-question-id=""] ~ .screen__panel--waiting'));
    const ended = page({ ...contexts.screenContext(), sitting: contexts.sampleSitting({ state: 'ended', is_live: false, is_ended: true }), badge_text: 'Ended at 15:32' });
    assert.equal(byId(ended, 'main').attrs.get('data-state'), 'ended');
    assert.match(ended, /id="screen-ended-text">Thank you for your questions\. The record of the sitting, with the questions answered, is at hemicycle\.example\/sittings\/1\.</);
    assert.ok(css.includes('.screen[data-state="ended"] .screen__queue { display: none; }'));
  });

  test('one h1; every img has an alt; nothing the CSP forbids', () => {
    const html = page(contexts.screenContext());
    assert.equal(tags(html).filter((x) => x.name === 'h1').length, 1);
    assert.ok(tags(html).filter((x) => x.name === 'img').every((x) => x.attrs.get('alt')));
    assert.ok(!/ style=| on[a-z]+=/.test(html));
  });
});
