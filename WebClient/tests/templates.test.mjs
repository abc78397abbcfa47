// Renders the Mustache templates with contexts shaped as the contract says, and checks what the pages promise:
// structure, accessibility hooks, the DOM hooks the script relies on, and nothing the CSP would block.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import * as contexts from './support/contexts.mjs';
import { REPO_ROOT } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';
import { tags, byId } from './support/html.mjs';

const WEB = join(REPO_ROOT, 'WebClient');
const templates = await loadTemplates(join(WEB, 'templates'));
const page = (name, context) => render(templates[name], context, templates);

const pages = {
  'home': page('home', contexts.homeContext()),
  'home (empty)': page('home', contexts.emptyHomeContext()),
  'petition': page('petition', contexts.petitionContext()),
  'petition (errors)': page('petition', contexts.petitionWithErrorsContext()),
  'petition (closed)': page('petition', contexts.closedPetitionContext()),
  'petition (flash)': page('petition', contexts.petitionContext({ flash: 'Your signature has been added.' })),
  'signed': page('signed', contexts.signedContext()),
  'error': page('error', contexts.errorContext()),
};


describe('every page', () => {
  for (const [name, html] of Object.entries(pages)) {
    test(`${name}: document structure and accessibility basics`, () => {
      assert.match(html, /^<!doctype html>\n<html lang="en">/);
      assert.match(html, /<meta charset="utf-8">/);
      assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
      assert.match(html, /<title>[^<]+ – Hemicycle<\/title>/);
      assert.match(html, /<link rel="stylesheet" href="\/static\/css\/site.css">/);
      assert.match(html, /<a class="skip-link" href="#main">Skip to main content<\/a>/);
      assert.equal(tags(html).filter((t) => t.name === 'main').length, 1);
      assert.ok(byId(html, 'main') && byId(html, 'main').name === 'main', 'the skip link target is <main id="main">');
      assert.equal(tags(html).filter((t) => t.name === 'h1').length, 1, 'one h1');
      assert.match(html, /<header class="site-header">/);
      assert.match(html, /<footer class="site-footer">/);
      assert.doesNotMatch(html, /\{\{|\}\}/, 'no Mustache left over');
    });

    test(`${name}: nothing the CSP forbids`, () => {
      const all = tags(html);
      for (const t of all) {
        assert.ok(!t.attrs.has('style'), `style= on <${t.name}>`);
        for (const attr of t.attrs.keys()) assert.ok(!/^on/.test(attr), `${attr}= on <${t.name}>`);
        for (const attr of ['href', 'src', 'action']) {
          const v = t.attrs.get(attr);
          if (v === undefined) continue;
          assert.doesNotMatch(v, /^\s*javascript:/i, `${attr}=${v}`);
          assert.doesNotMatch(v, /^(https?:)?\/\//i, `no third-party resource: ${attr}=${v}`);
        }
      }
      assert.doesNotMatch(html, /<style/i);
      for (const s of all.filter((t) => t.name === 'script')) {
        assert.ok(s.attrs.get('src'), 'scripts are external');
        assert.equal(s.attrs.get('type'), 'module');
      }
      assert.doesNotMatch(html, /<script[^>]*>[^<]+<\/script>/, 'no inline script body');
    });

    test(`${name}: ids are unique and every reference points at one`, () => {
      const all = tags(html);
      const ids = all.map((t) => t.attrs.get('id')).filter(Boolean);
      assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate ids');
      for (const t of all) {
        for (const attr of ['for', 'aria-describedby', 'aria-labelledby']) {
          const v = t.attrs.get(attr);
          if (v === undefined) continue;
          for (const ref of v.split(/\s+/).filter(Boolean)) assert.ok(ids.includes(ref), `${attr}="${ref}" on <${t.name}>`);
        }
        if (t.name === 'a' && t.attrs.get('href')?.startsWith('#')) {
          assert.ok(ids.includes(t.attrs.get('href').slice(1)), `link to ${t.attrs.get('href')}`);
        }
      }
    });
  }
});

describe('petition page', () => {
  const html = pages.petition;

  test('DOM hooks of the contract', () => {
    const main = byId(html, 'main');
    assert.equal(main.attrs.get('data-petition-id'), '1');
    assert.equal(main.attrs.get('data-topic'), 'petition:1');
    const count = byId(html, 'signature-count');
    assert.equal(count.name, 'data');
    assert.equal(count.attrs.get('value'), '1234');
    assert.match(html, /<data id="signature-count"[^>]*>1,234<\/data>/);
    assert.equal(byId(html, 'live-status').name, 'p');
    assert.equal(byId(html, 'live-status').attrs.get('role'), 'status');
    const announcer = byId(html, 'live-announcer');
    assert.equal(announcer.attrs.get('aria-live'), 'polite');
    assert.equal(announcer.attrs.get('aria-atomic'), 'true');
    assert.equal(announcer.attrs.get('class'), 'visually-hidden');
    const form = byId(html, 'sign-form');
    assert.equal(form.name, 'form');
    assert.equal(form.attrs.get('method'), 'post');
    assert.equal(form.attrs.get('action'), '/api/v1/petitions/1/signatures');
    assert.equal(byId(html, 'sign-result').attrs.get('role'), 'alert');
    assert.match(html, /<script type="module" src="\/static\/js\/petition-page.js"><\/script>/);
  });

  test('the form: labelled inputs, autocomplete, required name and email', () => {
    const inputs = tags(html).filter((t) => t.name === 'input' && t.attrs.get('type') !== 'hidden');
    const expected = { name: 'name', email: 'email', postcode: 'postal-code', country: 'country-name' };
    assert.deepEqual(inputs.map((i) => i.attrs.get('name')), Object.keys(expected));
    const labels = tags(html).filter((t) => t.name === 'label').map((l) => l.attrs.get('for'));
    for (const input of inputs) {
      const field = input.attrs.get('name');
      assert.equal(input.attrs.get('autocomplete'), expected[field], field);
      assert.ok(labels.includes(input.attrs.get('id')), `label for ${field}`);
      assert.equal(input.attrs.has('required'), field === 'name' || field === 'email', `required on ${field}`);
    }
    assert.equal(byId(html, 'sign-email').attrs.get('type'), 'email');
    assert.ok(!html.includes('error-summary'), 'no error summary without errors');
  });

  test('the form carries its CSRF token, first, so that it works without JavaScript', () => {
    assert.match(html, /<form id="sign-form"[^>]*>\s*<input type="hidden" name="csrf_token" value="csrf-sign123">/);
    const hidden = tags(html).filter((t) => t.name === 'input' && t.attrs.get('type') === 'hidden');
    assert.deepEqual(hidden.map((t) => t.attrs.get('name')), ['csrf_token']);
  });

  test('a refused form (403 csrf_failed) names its code on the summary and keeps the entries', () => {
    const refused = page('petition', contexts.petitionCSRFFailedContext());
    assert.equal(byId(refused, 'error-summary').attrs.get('data-error-code'), 'csrf_failed');
    assert.equal(byId(refused, 'sign-name').attrs.get('value'), 'Ada Lovelace');
    assert.ok(!byId(html, 'error-summary'), 'no summary, so no code, on a plain page');
  });

  test('thresholds are labelled progress bars', () => {
    const bars = tags(html).filter((t) => t.name === 'progress');
    assert.deepEqual(bars.map((b) => [b.attrs.get('id'), b.attrs.get('max'), b.attrs.get('value'), b.attrs.get('data-threshold')]), [
      ['threshold-response', '100', '12', 'response'], ['threshold-debate', '100', '1', 'debate'],
    ]);
    assert.match(html, /<label class="threshold__label" for="threshold-response">Government response at 10,000 signatures<\/label>/);
  });

  test('errors: a summary at the top, messages tied to fields, values kept and escaped', () => {
    const errors = pages['petition (errors)'];
    const summaryAt = errors.indexOf('id="error-summary"');
    assert.ok(summaryAt > 0 && summaryAt < errors.indexOf('<h1'), 'the summary comes before the h1');
    assert.match(errors, /<a href="#sign-email">Enter an email address in the correct format, like name@example.com<\/a>/);
    const email = byId(errors, 'sign-email');
    assert.equal(email.attrs.get('aria-invalid'), 'true');
    assert.deepEqual(email.attrs.get('aria-describedby').split(' '), ['sign-email-hint', 'sign-email-error']);
    assert.equal(email.attrs.get('value'), 'not-an-email');
    assert.equal(byId(errors, 'sign-name').attrs.get('value'), 'Ada &lt;Lovelace&gt; &amp; &quot;friends&quot;');
    assert.ok(!byId(errors, 'sign-name').attrs.has('aria-invalid'));
    assert.match(errors, /<title>Error: /);
  });

  test('a closed petition shows its state and no form', () => {
    const closed = pages['petition (closed)'];
    assert.ok(!byId(closed, 'sign-form'));
    assert.match(closed, /<strong>Closed\.<\/strong> This petition is not accepting signatures\./);
    assert.match(closed, /<span class="tag tag--closed" id="petition-state">Closed<\/span>/);
    assert.ok(!closed.includes('More details'), 'no empty details when additional_details is null');
    assert.equal(tags(closed).filter((t) => t.name === 'progress' && t.attrs.get('value') === '100').length, 2);
    assert.match(closed, /data-threshold-status="response">Reached</);
  });

  test('empty additional details leave an empty element that the CSS hides (swift-mustache renders "" sections)', () => {
    const html = page('petition', contexts.petitionContext({ petition: { additional_details: '' } }));
    assert.match(html, /<p class="details__text petition-text"><\/p>/);
    const css = readFileSync(join(WEB, 'css', 'site.css'), 'utf8');
    assert.ok(css.includes('.details:has(> .details__text:empty)'));
  });

  test('the flash message is shown when given', () => {
    assert.match(pages['petition (flash)'], /<div class="notice notice--success" role="status"><p>Your signature has been added.<\/p><\/div>/);
    assert.ok(!pages.petition.includes('notice--success'));
  });
});

describe('other pages', () => {
  test('signed: thanks, the new count, a link back; no script', () => {
    const html = pages.signed;
    assert.match(html, /<h1 class="panel__title">Thank you for signing<\/h1>/);
    assert.match(html, /<data id="signature-count" class="count__number" value="1235">1,235<\/data>/);
    assert.match(html, /<a class="link" href="\/petitions\/1">Back to the petition<\/a>/);
    assert.ok(!html.includes('<script'));
  });

  test('home lists petitions and sittings, or says there are none', () => {
    assert.match(pages.home, /<a class="card__link" href="\/petitions\/2">Publish committee evidence in plain language<\/a>/);
    assert.match(pages.home, /<a class="card__link" href="\/sittings\/1">Education Committee: school meals<\/a>/, 'sittings link to their page');
    assert.match(pages['home (empty)'], /There are no petitions yet\./);
    assert.match(pages['home (empty)'], /There are no sittings scheduled\./);
    assert.ok(pages.home.includes('<script type="module" src="/static/js/home-page.js"></script>'), 'the list follows counts live');
    assert.match(pages.home, /<li class="card" data-petition-id="2">/);
    assert.match(pages.home, /<data class="petition-count" value="1234">1,234<\/data> <span class="petition-count-unit">signatures<\/span> <span class="tag petition-state" hidden><\/span>/);
    assert.match(pages.home, /<span class="tag petition-state">Closed<\/span>/, 'a closed petition says so');
  });

  test('error shows status, title and message', () => {
    assert.match(pages.error, /<p class="caption">Error 404<\/p>/);
    assert.match(pages.error, /<h1 class="heading-xl">Page not found<\/h1>/);
    assert.match(pages.error, /There is no petition with this number\./);
  });
});

describe('static files', () => {
  test('no third-party code: modules import only relative files; CSS loads nothing from elsewhere', () => {
    for (const file of readdirSync(join(WEB, 'js'))) {
      const source = readFileSync(join(WEB, 'js', file), 'utf8');
      for (const m of source.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)) assert.match(m[1], /^\.\/[a-z0-9-]+\.js$/, `${file}: ${m[1]}`);
      assert.doesNotMatch(source, /\beval\s*\(|new Function\s*\(/, `${file}: eval is blocked by the CSP`);
    }
    const css = readFileSync(join(WEB, 'css', 'site.css'), 'utf8');
    assert.doesNotMatch(css, /@import|url\(\s*['"]?(https?:)?\/\//);
  });
});
