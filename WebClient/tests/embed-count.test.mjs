// js/embed-count.js and templates/embed-petition.mustache: the count, the progress towards the next threshold (the
// same text as the server's), the live/offline mark, the variants and the small stylesheet.

import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { applyCount, countText, goalPhrase, goalState, statusText } from '../js/embed-count.js';
import * as contexts from './support/contexts.mjs';
import { REPO_ROOT } from './support/fakes.mjs';
import { byId, tags } from './support/html.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const embedContext = (over = {}) => ({
  ...contexts.petitionContext(), petition_url: 'https://petitions.example/petitions/1', show: 'progress', theme: 'light',
  goal: { signatures: 100000, name: 'debate', reached: false, percent: 10, text: '10% of 100,000 for a debate' },
  ...over,
});

describe('embed script', () => {
  test('counts as the server writes them', () => {
    assert.equal(countText(1234567), '1,234,567');
    const number = { value: '0', textContent: '0' };
    const unit = { textContent: 'signatures' };
    assert.equal(applyCount({ number, unit }, { signature_count: 1 }), 1);
    assert.equal(number.textContent, '1');
    assert.equal(unit.textContent, 'signature');
    assert.equal(applyCount({ number, unit }, { signature_count: 10412 }), 10412);
    assert.equal(number.value, '10412');
    assert.equal(unit.textContent, 'signatures');
    assert.equal(applyCount({ number, unit }, { viewers: 3 }), null, 'other data changes nothing');
    assert.equal(number.textContent, '10,412');
  });

  test('progress towards a threshold: whole percent, 100 only once reached, in words', () => {
    assert.deepEqual(goalState(10412, { signatures: 100000, name: 'debate' }),
      { percent: 10, reached: false, text: '10% of 100,000 for a debate' });
    assert.equal(goalState(99999, { signatures: 100000, name: 'debate' }).percent, 99);
    assert.deepEqual(goalState(10000, { signatures: 10000, name: 'response' }),
      { percent: 100, reached: true, text: 'Reached 10,000 for a government response' });
    assert.equal(goalState(0, { signatures: 10, name: 'x' }).text, '0% of 10 for x');
    assert.equal(goalPhrase('debate'), 'a debate');
  });

  test('the bar follows the count', () => {
    const progress = { dataset: { signatures: '10000', name: 'response' } };
    const bar = { value: 0, textContent: '' };
    const goal = { textContent: '' };
    applyCount({ number: { value: '', textContent: '' }, progress, bar, goal }, { signature_count: 9874 });
    assert.equal(bar.value, 98);
    assert.equal(goal.textContent, '98% of 10,000 for a government response');
    applyCount({ number: { value: '', textContent: '' }, progress, bar, goal }, { signature_count: 10001 });
    assert.equal(bar.value, 100);
    assert.equal(progress.dataset.reached, 'true');
  });

  test('the live mark: nothing before the script runs, then the connection in a word', () => {
    assert.equal(statusText('static'), '');
    assert.equal(statusText('live'), 'Live');
    assert.equal(statusText('offline'), 'Offline');
    assert.equal(statusText('reconnecting'), 'Reconnecting…');
  });
});

describe('embed page', () => {
  test('its own small stylesheet, not the site one', () => {
    const html = render(templates['embed-petition'], embedContext(), templates);
    const links = tags(html).filter((x) => x.name === 'link' && x.attrs.get('rel') === 'stylesheet').map((x) => x.attrs.get('href'));
    assert.deepEqual(links, ['/static/css/embed.css']);
    const size = statSync(join(REPO_ROOT, 'WebClient', 'css', 'embed.css')).size;
    assert.ok(size < 6000, `embed.css is ${size} bytes`);
  });

  test('variants: progress (the default) shows the bar; count hides it; dark sets the theme', () => {
    const html = render(templates['embed-petition'], embedContext(), templates);
    assert.equal(byId(html, 'main').attrs.get('data-show'), 'progress');
    assert.equal(byId(html, 'embed-bar').attrs.get('value'), '10');
    assert.match(html, /<p class="embed__goal" id="embed-goal">10% of 100,000 for a debate<\/p>/);
    const count = render(templates['embed-petition'], embedContext({ show: 'count' }), templates);
    assert.equal(byId(count, 'main').attrs.get('data-show'), 'count');
    const css = readFileSync(join(REPO_ROOT, 'WebClient', 'css', 'embed.css'), 'utf8');
    assert.ok(css.includes('.embed[data-show="count"] .embed__progress { display: none; }'));
    const dark = render(templates['embed-petition'], embedContext({ theme: 'dark' }), templates);
    assert.match(dark, /<body class="embed-body" data-theme="dark">/);
    assert.ok(css.includes('.embed-body[data-theme="dark"]'));
  });

  test('a sign button while open, the state when closed; the live mark is a status', () => {
    const html = render(templates['embed-petition'], embedContext(), templates);
    assert.equal(byId(html, 'embed-sign').attrs.get('href'), 'https://petitions.example/petitions/1#sign');
    assert.equal(byId(html, 'live-status').attrs.get('role'), 'status');
    const closed = render(templates['embed-petition'], embedContext({ petition: { ...contexts.petitionContext().petition, is_open: false, state_label: 'Closed' } }), templates);
    assert.ok(!byId(closed, 'embed-sign'));
    assert.match(closed, /id="embed-closed">Closed</);
  });

  test('the petition page offers the snippet and its variants', () => {
    const html = render(templates.petition, {
      ...contexts.petitionContext(), embed_snippet: '<iframe src="x">',
      embed_variants: [{ id: 'count', label: 'The count only', snippet: '<iframe src="x?show=count">' }, { id: 'dark', label: 'Dark', snippet: '<iframe src="x?theme=dark">' }],
    }, templates);
    for (const id of ['embed-snippet', 'embed-snippet-count', 'embed-snippet-dark']) {
      assert.equal(byId(html, id).name, 'textarea');
      assert.ok(html.includes(`for="${id}"`), `#${id} has a label`);
    }
    assert.ok(html.includes('&lt;iframe src=&quot;x?show=count&quot;&gt;'));
  });
});
