// The petition lifecycle's pages (Protocol/PETITIONS.md) rendered with the contexts the server passes
// (tests/support/contexts.mjs): starting a petition, the "check your email" answers, the confirmation page behind
// every emailed link, the confirmed pages, supporting, the moderators' page; and the additions to the public
// petition page (rejection, government response, debate), the home page and the staff home.
// Structure, accessibility, the DOM hooks, i18n, and nothing the CSP forbids.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import * as contexts from './support/contexts.mjs';
import { REPO_ROOT } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';
import { tags, byId, scriptOf } from './support/html.mjs';

const WEB = join(REPO_ROOT, 'WebClient');
const templates = await loadTemplates(join(WEB, 'templates'));
const page = (name, context) => render(templates[name], context, templates);
const fr = (context, path) => ({ ...context, ...contexts.i18nContext('fr', path) });

const pages = {
  'petition-new': page('petition-new', contexts.petitionNewContext()),
  'petition-new (errors)': page('petition-new', contexts.petitionNewWithErrorsContext()),
  'petition-new (form error)': page('petition-new', contexts.petitionNewFormErrorContext()),
  'petition-new (fr)': page('petition-new', fr(contexts.petitionNewContext(), '/petitions/new')),
  'petition-created': page('petition-created', contexts.petitionCreatedContext()),
  'confirm': page('confirm', contexts.confirmContext()),
  'confirm (fr)': page('confirm', fr(contexts.confirmContext(), '/confirm/tok_AbC-123')),
  'confirmed-creator': page('confirmed-creator', contexts.confirmedCreatorContext()),
  'confirmed-creator (sponsored)': page('confirmed-creator', contexts.confirmedCreatorContext({ sponsored: true, petition: { id: '7', action: 'x', state: 'sponsored' } })),
  'confirmed-supporter': page('confirmed-supporter', contexts.confirmedSupporterContext()),
  'confirmed-supporter (sponsored)': page('confirmed-supporter', contexts.confirmedSupporterContext({ sponsored: true, petition: { id: '7', action: 'x', state: 'sponsored' } })),
  'support': page('support', contexts.supportContext()),
  'support (errors)': page('support', contexts.supportWithErrorsContext()),
  'support (fr)': page('support', fr(contexts.supportContext(), '/petitions/7/support/s3cr3tS0nsor')),
  'supported': page('supported', contexts.supportedContext()),
  'staff-petitions': page('staff-petitions', contexts.staffPetitionsContext()),
  'staff-signatures': page('staff-signatures', contexts.staffSignaturesContext()),
  'staff-signatures (nothing held)': page('staff-signatures', contexts.staffSignaturesContext({ held: [], has_held: false })),
  'staff-signatures (fr)': page('staff-signatures', fr(contexts.staffSignaturesContext(), '/staff/signatures')),
};

const fieldsOf = (html) => tags(html).filter((t) => ['input', 'textarea', 'select'].includes(t.name) && t.attrs.get('type') !== 'hidden');
const moduleScripts = (html) => tags(html).filter((t) => t.name === 'script' && t.attrs.get('type') === 'module').map((t) => t.attrs.get('src'));

/** Structure, CSP, ids and labels: what every page of the site promises. */
function checkPage(name, html) {
  test(`${name}: document structure and accessibility basics`, () => {
    assert.match(html, /^<!doctype html>\n<html lang="(en|fr)">/);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.match(html, /<title>[^<]+ – Hemicycle<\/title>/);
    assert.match(html, /<a class="skip-link" href="#main">/);
    assert.match(html, /<header class="site-header">/);
    assert.match(html, /<footer class="site-footer">/);
    assert.equal(tags(html).filter((t) => t.name === 'main').length, 1);
    assert.equal(byId(html, 'main')?.name, 'main');
    assert.equal(tags(html).filter((t) => t.name === 'h1').length, 1, 'one h1');
    assert.doesNotMatch(html, /\{\{|\}\}/, 'no Mustache left over');
  });

  test(`${name}: nothing the CSP forbids; the only inline script is the JSON strings block`, () => {
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
    assert.doesNotMatch(html, /http-equiv/i, 'no meta refresh');
    for (const s of all.filter((t) => t.name === 'script')) {
      if (s.attrs.get('type') === 'application/json') assert.equal(s.attrs.get('id'), 'hc-strings');
      else {
        assert.equal(s.attrs.get('type'), 'module');
        assert.ok(s.attrs.get('src')?.startsWith('/static/js/'), 'scripts are ours and external');
      }
    }
    const inline = [...html.matchAll(/<script([^>]*)>([^<]+)<\/script>/g)];
    assert.equal(inline.length, 1, 'the strings block, and nothing else inline');
    assert.match(inline[0][1], /type="application\/json" id="hc-strings"/);
    const lang = html.includes('<html lang="fr">') ? 'fr' : 'en';
    assert.deepEqual(JSON.parse(inline[0][2]), contexts.strings(lang));
  });

  test(`${name}: ids are unique and every reference points at one`, () => {
    const all = tags(html);
    const ids = all.map((t) => t.attrs.get('id')).filter(Boolean);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate ids');
    for (const t of all) {
      for (const attr of ['for', 'aria-describedby', 'aria-labelledby', 'aria-controls']) {
        const v = t.attrs.get(attr);
        if (v === undefined) continue;
        for (const ref of v.split(/\s+/).filter(Boolean)) assert.ok(ids.includes(ref), `${attr}="${ref}" on <${t.name}>`);
      }
      if (t.name === 'a' && t.attrs.get('href')?.startsWith('#')) assert.ok(ids.includes(t.attrs.get('href').slice(1)), `link to ${t.attrs.get('href')}`);
    }
  });

  test(`${name}: every field has a label; buttons have a type; forms post to our paths with novalidate`, () => {
    const all = tags(html);
    const labelled = new Set(all.filter((t) => t.name === 'label').map((t) => t.attrs.get('for')).filter(Boolean));
    for (const field of fieldsOf(html)) assert.ok(labelled.has(field.attrs.get('id')), `label for <${field.name} id="${field.attrs.get('id')}">`);
    for (const b of all.filter((t) => t.name === 'button')) assert.ok(['button', 'submit'].includes(b.attrs.get('type')), `button type on ${b.attrs.get('id')}`);
    for (const form of all.filter((t) => t.name === 'form' && t.attrs.get('method') === 'post')) {
      assert.ok(form.attrs.get('action')?.startsWith('/'), 'forms post to our own paths');
      if (form.attrs.get('id') === 'logout-form') continue; // the header's button-only form
      assert.ok(form.attrs.has('novalidate'), `novalidate on #${form.attrs.get('id')}`);
      assert.match(html, new RegExp(`<form[^>]*id="${form.attrs.get('id')}"[^>]*>\\s*<input type="hidden" name="csrf_token" value="csrf-`), 'the csrf token first');
    }
  });

  test(`${name}: the language switcher`, () => {
    const links = tags(html).filter((t) => t.attrs.get('class') === 'language-switcher__link');
    assert.deepEqual(links.map((l) => l.attrs.get('hreflang')), ['en', 'fr']);
    assert.equal(links.filter((l) => l.attrs.get('aria-current') === 'true').length, 1);
  });
}

describe('petition lifecycle pages: every page', () => {
  for (const [name, html] of Object.entries(pages)) checkPage(name, html);
});

describe('petition-new', () => {
  const html = pages['petition-new'];

  test('a plain form post to /petitions/new with csrf, the fields in order, labelled, with autocomplete', () => {
    const form = byId(html, 'petition-new-form');
    assert.equal(form.attrs.get('method'), 'post');
    assert.equal(form.attrs.get('action'), '/petitions/new');
    assert.ok(form.attrs.has('novalidate'));
    assert.match(html, /<input type="hidden" name="csrf_token" value="csrf-abc123">/);
    assert.deepEqual(fieldsOf(html).map((f) => [f.name, f.attrs.get('name'), f.attrs.get('id')]), [
      ['input', 'action', 'petition-action'],
      ['textarea', 'background', 'petition-background'],
      ['textarea', 'additional_details', 'petition-additional_details'],
      ['input', 'name', 'petition-name'],
      ['input', 'email', 'petition-email'],
      ['input', 'postcode', 'petition-postcode'],
      ['input', 'country', 'petition-country'],
    ]);
    assert.equal(byId(html, 'petition-email').attrs.get('type'), 'email');
    assert.equal(byId(html, 'petition-email').attrs.get('autocomplete'), 'email');
    assert.equal(byId(html, 'petition-name').attrs.get('autocomplete'), 'name');
    assert.equal(byId(html, 'petition-postcode').attrs.get('autocomplete'), 'postal-code');
    assert.equal(byId(html, 'petition-country').attrs.get('autocomplete'), 'country-name', 'a name, as the sign form takes');
    const listed = page('petition-new', contexts.petitionNewContext({ countries: ['France', 'United Kingdom'], has_countries: true }));
    assert.equal(byId(listed, 'petition-country').attrs.get('list'), 'petition-country-list');
    assert.match(listed, /<datalist id="petition-country-list"><option value="France"><\/option><option value="United Kingdom"><\/option><\/datalist>/);
    assert.match(html, new RegExp(`id="petition-country-hint">${contexts.strings('en').petition_country_hint}<`));
    assert.equal(byId(html, 'petition-new-submit').attrs.get('type'), 'submit');
    assert.ok(!html.includes('error-summary'), 'no error summary without errors');
    assert.ok(!fieldsOf(html).some((f) => f.attrs.has('aria-invalid')));
  });

  test('the limits: in the hints, and as data for the counters (hidden until the script fills them)', () => {
    for (const [field, max] of [['action', 80], ['background', 300], ['additional_details', 800]]) {
      const counter = byId(html, `petition-${field}-count`);
      assert.equal(counter.attrs.get('data-max'), String(max), field);
      assert.ok(counter.attrs.has('hidden'), `${field}: the counter comes with JS`);
      assert.equal(counter.attrs.get('aria-hidden'), 'true');
      assert.equal(byId(html, `petition-${field}-count-live`).attrs.get('aria-live'), 'polite');
      assert.equal(byId(html, `petition-${field}`).attrs.get('data-max-length'), String(max));
      assert.equal(byId(html, `petition-${field}`).attrs.get('aria-describedby'), `petition-${field}-hint`);
      assert.match(html, new RegExp(`id="petition-${field}-hint">[^<]* Up to ${max} characters\\.</p>`));
    }
    assert.deepEqual(moduleScripts(html), ['/static/js/petition-new.js']);
  });

  test('the steps: confirm your email, N supporters, moderation, open for 6 months', () => {
    const steps = html.slice(html.indexOf('id="petition-steps"'), html.indexOf('</section>', html.indexOf('id="petition-steps"')));
    assert.equal((steps.match(/<li class="step-list__item">/g) ?? []).length, 4);
    assert.match(steps, /Confirm your email address\./);
    assert.match(steps, /Supporters needed: <strong id="supporters-required">5<\/strong>/);
    assert.match(steps, /Moderation\./);
    assert.match(steps, /open to signatures for 6 months/);
    assert.ok(html.indexOf('id="petition-steps"') < html.indexOf('id="petition-new-form"'), 'explained before the form');
  });

  test('errors: a summary first, linked to the fields in form order, tied to them, values kept and escaped', () => {
    const errors = pages['petition-new (errors)'];
    const at = errors.indexOf('id="error-summary"');
    assert.ok(at > 0 && at < errors.indexOf('<h1'), 'the summary comes before the h1');
    assert.equal(byId(errors, 'error-summary').attrs.get('role'), 'alert');
    const links = [...errors.matchAll(/<li><a href="#([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(links, ['petition-action', 'petition-background', 'petition-email', 'petition-country']);
    assert.match(errors, /<a href="#petition-action">Markup is not allowed: remove &lt; and &gt;\.<\/a>/);
    for (const field of ['action', 'background', 'email', 'country']) {
      const input = byId(errors, `petition-${field}`);
      assert.equal(input.attrs.get('aria-invalid'), 'true', field);
      assert.deepEqual(input.attrs.get('aria-describedby').split(' '), [`petition-${field}-hint`, `petition-${field}-error`], field);
      assert.match(errors, new RegExp(`<p class="error-message" id="petition-${field}-error"><span class="visually-hidden">Error: </span>`));
    }
    for (const field of ['additional_details', 'name', 'postcode']) assert.ok(!byId(errors, `petition-${field}`).attrs.has('aria-invalid'), field);
    assert.equal(byId(errors, 'petition-action').attrs.get('value'), 'Ban &lt;script&gt; tags &amp; &quot;quotes&quot; from petitions');
    assert.match(errors, /<textarea[^>]*id="petition-background"[^>]*>Because &lt;b&gt;markup&lt;\/b&gt; is not allowed\.<\/textarea>/);
    assert.equal(byId(errors, 'petition-country').attrs.get('value'), 'United Kingdom');
    assert.match(errors, /<title>Error: Start a petition – Hemicycle<\/title>/);
    assert.match(errors, /class="form-group form-group--error">\s*<label class="label" for="petition-email">/);
  });

  test('a form-level error is listed without a link', () => {
    const html2 = pages['petition-new (form error)'];
    assert.match(html2, /<li>Too many petitions from this address today\. Try again tomorrow\.<\/li>/);
    assert.ok(!/<li><a href=/.test(html2));
    assert.equal(byId(html2, 'petition-action').attrs.get('value'), 'Make bus travel free for under-19s');
  });

  test('French', () => {
    const html2 = pages['petition-new (fr)'];
    assert.match(html2, /<h1 class="heading-xl">Lancer une pétition<\/h1>/);
    assert.match(html2, /Jusqu’à 80 caractères\./);
    assert.match(html2, /Soutiens nécessaires : <strong id="supporters-required">5<\/strong>/);
  });
});

describe('check your email (petition-created, supported)', () => {
  test('petition-created: the address (escaped), the petition, the next steps; no form, no script', () => {
    const html = pages['petition-created'];
    assert.match(html, /<h1 class="heading-xl">Check your email<\/h1>/);
    assert.match(html, /We have sent a link to <strong class="email-address" id="sent-to">ada\+petitions@example\.org<\/strong>/);
    assert.equal(byId(html, 'email-sent').attrs.get('role'), 'status');
    assert.match(html, /<p class="quote" id="petition-action">Make bus travel free for under-19s<\/p>/);
    assert.equal(byId(html, 'main').attrs.get('data-petition-id'), '7');
    assert.ok(!html.includes('<form'), 'nothing to send');
    assert.deepEqual(moduleScripts(html), []);
    const escaped = page('petition-created', { ...contexts.petitionCreatedContext(), email: '"><b>x</b>@example.org' });
    assert.match(escaped, /id="sent-to">&quot;&gt;&lt;b&gt;x&lt;\/b&gt;@example\.org</);
  });

  test('supported: check your email to confirm your support', () => {
    const html = pages.supported;
    assert.match(html, /<h1 class="heading-xl">Check your email<\/h1>/);
    assert.match(html, /id="sent-to">bo@example\.org</);
    assert.match(html, /confirm your support/);
    assert.match(html, /id="petition-action">Make bus travel free for under-19s</);
    assert.deepEqual(moduleScripts(html), []);
  });
});

describe('confirm: the page behind every emailed link', () => {
  const html = pages.confirm;

  test('one form posting to /confirm/{token} with the csrf token and one submit button', () => {
    const form = byId(html, 'confirm-form');
    assert.equal(form.attrs.get('method'), 'post');
    assert.equal(form.attrs.get('action'), '/confirm/tok_AbC-123');
    assert.match(html, /<form[^>]*id="confirm-form"[^>]*>\s*<input type="hidden" name="csrf_token" value="csrf-confirm">\s*<button class="button" id="confirm-button" type="submit">Confirm my email address<\/button>\s*<\/form>/);
    assert.equal(tags(html).filter((t) => t.name === 'button' && t.attrs.get('type') === 'submit').length, 1);
  });

  test('nothing confirms by itself: no script, no refresh, no autofocus', () => {
    assert.deepEqual(moduleScripts(html), [], 'no JavaScript (mail scanners run it)');
    assert.doesNotMatch(html, /autofocus|http-equiv/i);
    assert.match(html, /some email services open links by themselves/);
  });

  test('the token is escaped in the action', () => {
    const odd = page('confirm', { ...contexts.confirmContext(), token: 'a"b<c' });
    assert.equal(byId(odd, 'confirm-form').attrs.get('action'), '/confirm/a&quot;b&lt;c');
  });

  test('French', () => {
    assert.match(pages['confirm (fr)'], /id="confirm-button" type="submit">Confirmer mon adresse e-mail</);
  });
});

describe('confirmed pages', () => {
  test('creator: the supporter link in a labelled read-only field, a copy button for the script, N supporters', () => {
    const html = pages['confirmed-creator'];
    const input = byId(html, 'support-url');
    assert.equal(input.name, 'input');
    assert.ok(input.attrs.has('readonly'), 'selectable, not editable');
    assert.equal(input.attrs.get('value'), 'https://hemicycle.example/petitions/7/support/s3cr3tS0nsor');
    assert.equal(input.attrs.get('aria-describedby'), 'support-url-hint');
    assert.match(html, /<label class="label" for="support-url">Your supporter link<\/label>/);
    const button = byId(html, 'copy-support-url');
    assert.equal(button.attrs.get('type'), 'button');
    assert.equal(button.attrs.get('data-copy-target'), 'support-url');
    assert.ok(button.attrs.has('hidden'), 'the button comes with JS');
    assert.equal(byId(html, 'copy-status').attrs.get('role'), 'status');
    assert.match(html, /Supporters needed: <strong id="supporters-required">5<\/strong>/);
    assert.match(html, /Once it has enough supporters, moderators check/);
    assert.deepEqual(moduleScripts(html), ['/static/js/copy-link.js']);
    assert.equal(byId(html, 'main').attrs.get('data-state'), 'validated');
    assert.ok(!byId(html, 'already-sponsored'));
  });

  test('creator, already sponsored (no supporters required): no link to share, says it waits for moderation', () => {
    const html = pages['confirmed-creator (sponsored)'];
    assert.ok(!byId(html, 'support-url'));
    assert.ok(byId(html, 'already-sponsored'));
    assert.match(html, /already has enough supporters/);
  });

  test('supporter: thanks; gathering or sponsored', () => {
    const html = pages['confirmed-supporter'];
    assert.match(html, /<h1 class="panel__title">Thank you for your support<\/h1>/);
    assert.ok(byId(html, 'petition-gathering'));
    assert.ok(!byId(html, 'petition-sponsored'));
    assert.match(html, /Supporters needed: <strong id="supporters-required">5<\/strong>/);
    const sponsored = pages['confirmed-supporter (sponsored)'];
    assert.ok(byId(sponsored, 'petition-sponsored'));
    assert.ok(!byId(sponsored, 'petition-gathering'));
    assert.match(sponsored, /now has enough supporters/);
    assert.deepEqual(moduleScripts(html), []);
  });
});

describe('support: the supporter link', () => {
  const html = pages.support;

  test('the petition (escaped), its creator, and a form posting to /petitions/{id}/support/{token}', () => {
    assert.match(html, /<h1 class="heading-xl">Make bus travel free for under-19s<\/h1>/);
    assert.match(html, /<p class="creator-line" id="creator-line">Started by <span class="creator-line__name">Ada Lovelace<\/span><\/p>/);
    assert.match(html, /<p class="details__text petition-text">Several cities/);
    const form = byId(html, 'support-form');
    assert.equal(form.attrs.get('method'), 'post');
    assert.equal(form.attrs.get('action'), '/petitions/7/support/s3cr3tS0nsor');
    assert.deepEqual(fieldsOf(html).map((f) => [f.attrs.get('name'), f.attrs.get('id')]), [
      ['name', 'support-name'], ['email', 'support-email'], ['postcode', 'support-postcode'], ['country', 'support-country'],
    ]);
    assert.equal(byId(html, 'support-submit').attrs.get('type'), 'submit');
    assert.equal(byId(html, 'support-email').attrs.get('type'), 'email');
    assert.ok(!html.includes('error-summary'));
    assert.deepEqual(moduleScripts(html), []);
  });

  test('an empty creator name leaves an empty element the CSS hides; no details, no disclosure', () => {
    const html2 = page('support', contexts.supportContext({ petition: { creator_name: '', additional_details: null } }));
    assert.match(html2, /<span class="creator-line__name"><\/span>/);
    const css = readFileSync(join(WEB, 'css', 'site.css'), 'utf8');
    assert.ok(css.includes('.creator-line:has(> .creator-line__name:empty) { display: none; }'));
    assert.ok(!html2.includes('<details'));
  });

  test('errors: a summary, the form error, messages tied to the fields, values kept and escaped', () => {
    const errors = pages['support (errors)'];
    assert.ok(errors.indexOf('id="error-summary"') < errors.indexOf('<h1'));
    assert.match(errors, /<li>Some fields are not valid\.<\/li>/);
    assert.match(errors, /<li><a href="#support-email">Enter an email address/);
    const email = byId(errors, 'support-email');
    assert.equal(email.attrs.get('aria-invalid'), 'true');
    assert.deepEqual(email.attrs.get('aria-describedby').split(' '), ['support-email-hint', 'support-email-error']);
    assert.equal(byId(errors, 'support-name').attrs.get('value'), 'Bo &lt;Brummell&gt;');
    assert.ok(!byId(errors, 'support-name').attrs.has('aria-invalid'));
    assert.match(errors, /<title>Error: /);
  });
});

describe('staff-petitions: the moderators\' page', () => {
  const html = pages['staff-petitions'];

  test('JS-driven, says so without it; the list, its empty and loading lines, the alert and status regions', () => {
    const main = byId(html, 'main');
    assert.equal(main.attrs.get('data-page'), 'staff-petitions');
    assert.match(html, /<noscript><div class="notice notice--warning"><p>This console needs JavaScript/);
    assert.equal(byId(html, 'petition-queue').name, 'ol');
    assert.equal(byId(html, 'petition-queue').attrs.get('aria-labelledby'), 'petition-queue-heading');
    assert.ok(byId(html, 'petition-queue-empty').attrs.has('hidden'), 'shown by the script once loaded');
    assert.ok(byId(html, 'petition-queue-loading').attrs.has('hidden'));
    assert.ok(byId(html, 'petition-queue-reload').attrs.has('hidden'));
    assert.equal(byId(html, 'petitions-alert').attrs.get('role'), 'alert');
    assert.equal(byId(html, 'action-status').attrs.get('aria-live'), 'polite');
    assert.equal(byId(html, 'petition-queue-heading').attrs.get('tabindex'), '-1', 'focus lands here when the list empties');
    assert.deepEqual(moduleScripts(html), ['/static/js/staff-petitions.js']);
  });

  test('the staff bar with the logout form and its csrf token', () => {
    assert.match(html, /<strong id="staff-name">Pat Moderator<\/strong>/);
    assert.match(html, /<form class="staff-bar__logout" id="logout-form" method="post" action="\/staff\/logout">\s*<input type="hidden" name="csrf_token" value="csrf-abc123">/);
  });

  test('the reject dialog: a modal with a reason select (from the context), optional details, confirm and cancel', () => {
    const dialog = byId(html, 'reject-dialog');
    assert.equal(dialog.name, 'dialog');
    assert.equal(dialog.attrs.get('aria-modal'), 'true');
    assert.equal(dialog.attrs.get('aria-labelledby'), 'reject-dialog-title');
    const form = byId(html, 'reject-form');
    assert.equal(form.attrs.get('method'), 'dialog');
    assert.equal(byId(html, 'reject-code').name, 'select');
    assert.deepEqual(tags(html).filter((t) => t.name === 'option').map((o) => o.attrs.get('value')), ['', 'duplicate', 'irrelevant', 'offensive']);
    assert.match(html, /<option value="duplicate">There’s already a petition about this issue\.<\/option>/);
    assert.equal(byId(html, 'reject-details').name, 'textarea');
    assert.equal(byId(html, 'reject-confirm').attrs.get('type'), 'submit');
    assert.equal(byId(html, 'reject-error').attrs.get('role'), 'alert');
    assert.match(html, /<button class="button button--secondary" type="button" data-close>Cancel<\/button>/);
  });
});

describe('the public petition page: rejection, government response, debate', () => {
  test('without those keys the page is as before', () => {
    const html = page('petition', contexts.petitionContext());
    for (const id of ['rejection', 'government-response', 'debate']) assert.ok(!byId(html, id), id);
  });

  test('a rejected petition: the panel under the title with the public reason and the details', () => {
    const html = page('petition', contexts.rejectedPetitionContext());
    const panel = byId(html, 'rejection');
    assert.equal(panel.attrs.get('data-code'), 'duplicate');
    assert.equal(panel.attrs.get('aria-labelledby'), 'rejection-heading');
    assert.match(html, /<h2 class="rejection__title" id="rejection-heading">This petition was rejected<\/h2>/);
    assert.match(html, /id="rejection-reason">There’s already a petition about this issue\.<\/p>/);
    assert.match(html, /id="rejection-details">Sign petition 12 instead: it asks for the same thing\.<\/p>/);
    assert.ok(html.indexOf('<h1') < html.indexOf('id="rejection"') && html.indexOf('id="rejection"') < html.indexOf('class="body-l petition-text"'));
    assert.ok(!byId(html, 'sign-form'));
    for (const id of ['signature-count', 'thresholds-heading', 'share', 'embed']) assert.ok(!byId(html, id), `a rejected petition has no ${id}`);
    const open = page('petition', contexts.petitionContext());
    for (const id of ['signature-count', 'thresholds-heading']) assert.ok(byId(open, id), `an open petition has its ${id}`);
    const bare = page('petition', contexts.petitionContext({ petition: { state: 'rejected', is_open: false }, rejection: { code: 'offensive', text: 'It’s offensive.' } }));
    assert.ok(!byId(bare, 'rejection-details'), 'no details, no paragraph');
  });

  test('a government response and a debate, with their dates and links', () => {
    const html = page('petition', contexts.respondedPetitionContext());
    assert.match(html, /<h2 class="heading-l" id="government-response-heading">Government responded<\/h2>/);
    assert.equal(byId(html, 'government-response-date').attrs.get('datetime'), '2026-12-01');
    assert.match(html, /id="government-response-date" datetime="2026-12-01">2026-12-01<\/time>/);
    assert.match(html, /id="government-response-summary">The Government has no plans/);
    assert.match(html, /id="government-response-details">Local authorities already fund concessions\.\nWe keep this under review\.<\/p>/);
    assert.match(html, /<h2 class="heading-l" id="debate-heading">Parliament debated this petition<\/h2>/);
    assert.equal(byId(html, 'debate-date').attrs.get('datetime'), '2027-01-15');
    assert.equal(byId(html, 'debate-video').attrs.get('href'), 'https://parliamentlive.example.org/event/123');
    assert.equal(byId(html, 'debate-transcript').attrs.get('href'), 'https://hansard.example.org/debates/2027-01-15/buses');
    assert.match(html, /id="debate-overview">MPs debated free bus travel for young people\.<\/p>/);
    const ids = tags(html).map((t) => t.attrs.get('id')).filter(Boolean);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
    for (const t of tags(html)) {
      const v = t.attrs.get('aria-labelledby');
      if (v) assert.ok(ids.includes(v), v);
    }
    assert.doesNotMatch(html, /\{\{|\}\}/);
  });

  test('formatted dates when the server gives them; a debate without links or overview', () => {
    const html = page('petition', contexts.respondedPetitionContext({
      government_response: { responded_on: '2026-12-01', responded_on_text: '1 December 2026', summary: 'No.' },
      debate: { debated_on: '2027-01-15', debated_on_text: '15 January 2027' },
    }));
    assert.match(html, /datetime="2026-12-01">1 December 2026<\/time>/);
    assert.match(html, /datetime="2027-01-15">15 January 2027<\/time>/);
    assert.ok(!byId(html, 'government-response-full'));
    assert.ok(!byId(html, 'debate-video') && !byId(html, 'debate-transcript') && !byId(html, 'debate-overview'));
  });

  test('with the page strings (t), in French', () => {
    const html = page('petition', { ...contexts.respondedPetitionContext(), ...contexts.rejectedPetitionContext(), ...contexts.i18nContext('fr', '/petitions/1') });
    assert.match(html, /id="rejection-heading">Cette pétition a été rejetée</);
    assert.match(html, /id="government-response-heading">Le Gouvernement a répondu</);
    assert.match(html, /id="debate-video" href="[^"]+" rel="external">Regarder le débat</);
  });
});

describe('links to the new pages', () => {
  test('home: "Start a petition" to /petitions/new (English without t, translated with it)', () => {
    const html = page('home', contexts.homeContext());
    assert.match(html, /<a class="link" id="start-petition-link" href="\/petitions\/new">Start a petition<\/a>/);
    assert.match(page('home', contexts.emptyHomeContext()), /href="\/petitions\/new"/);
    assert.match(page('home', { ...contexts.homeContext(), ...contexts.i18nContext('fr', '/') }), /id="start-petition-link" href="\/petitions\/new">Lancer une pétition</);
  });

  test('staff home: the petitions moderators\' pages only with can_moderate_petitions', () => {
    const without = page('staff-home', contexts.staffHomeContext());
    assert.ok(!byId(without, 'staff-petitions-link'));
    assert.ok(!byId(without, 'staff-signatures-link'));
    const html = page('staff-home', contexts.staffHomeContext({ can_moderate_petitions: true }));
    assert.equal(byId(html, 'staff-petitions-link').attrs.get('href'), '/staff/petitions');
    assert.equal(byId(html, 'staff-signatures-link').attrs.get('href'), '/staff/signatures');
    assert.match(html, /id="staff-signatures-link" href="\/staff\/signatures">Held signatures and invalidations<\/a>/);
    assert.equal(tags(html).filter((t) => t.name === 'h1').length, 1);
  });
});
