// The hearing pages, the staff pages and the dashboard rendered with contract-shaped contexts
// (tests/support/contexts.mjs): structure, accessibility hooks, the DOM hooks the scripts and the browser tests
// use, i18n, and nothing the CSP forbids (the one script element allowed inline is the JSON strings block, which
// is data and never executed).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import * as contexts from './support/contexts.mjs';
import { REPO_ROOT } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';
import { tags, byId, withClass, scriptOf } from './support/html.mjs';

const WEB = join(REPO_ROOT, 'WebClient');
const templates = await loadTemplates(join(WEB, 'templates'));
const page = (name, context) => render(templates[name], context, templates);
const en = contexts.strings('en');

const pages = {
  'sittings': page('sittings', contexts.sittingsContext()),
  'sitting': page('sitting', contexts.sittingPageContext()),
  'sitting (errors)': page('sitting', contexts.sittingPageWithErrorsContext()),
  'sitting (ended)': page('sitting', contexts.endedSittingPageContext()),
  'sitting (no participant)': page('sitting', contexts.participantRefusedSittingPageContext()),
  'sitting (fr)': page('sitting', { ...contexts.sittingPageContext(), ...contexts.i18nContext('fr', '/sittings/1') }),
  'screen': page('screen', contexts.screenContext()),
  'moderate': page('moderate', contexts.moderateContext()),
  'chair': page('chair', contexts.chairContext()),
  'dashboard': page('dashboard', contexts.dashboardContext()),
  'login': page('login', contexts.loginContext()),
  'login (errors)': page('login', contexts.loginWithErrorsContext()),
  'staff-home': page('staff-home', contexts.staffHomeContext()),
  'password': page('password', contexts.passwordContext()),
  'password (errors)': page('password', contexts.passwordWithErrorsContext()),
  'moderation-log': page('moderation-log', contexts.moderationLogContext()),
};
const CHROMELESS = new Set(['screen']);


describe('hearing pages: every page', () => {
  for (const [name, html] of Object.entries(pages)) {
    test(`${name}: document structure and accessibility basics`, () => {
      assert.match(html, /^<!doctype html>\n<html lang="(en|fr)">/);
      assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
      assert.match(html, /<title>[^<]+ – Hemicycle<\/title>/);
      assert.equal(tags(html).filter((t) => t.name === 'main').length, 1);
      assert.equal(byId(html, 'main')?.name, 'main');
      assert.equal(tags(html).filter((t) => t.name === 'h1').length, 1, 'one h1');
      assert.doesNotMatch(html, /\{\{|\}\}/, 'no Mustache left over');
      if (!CHROMELESS.has(name)) {
        assert.match(html, /<a class="skip-link" href="#main">/);
        assert.match(html, /<header class="site-header">/);
        assert.match(html, /<footer class="site-footer">/);
      }
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
          // The stream is the one third-party frame (the server's CSP must list its origin in frame-src).
          if (!(t.name === 'iframe' && attr === 'src')) assert.doesNotMatch(v, /^(https?:)?\/\//i, `no third-party resource: ${attr}=${v}`);
        }
      }
      assert.doesNotMatch(html, /<style/i);
      const scripts = all.filter((t) => t.name === 'script');
      for (const s of scripts) {
        if (s.attrs.get('type') === 'application/json') {
          assert.equal(s.attrs.get('id'), 'hc-strings');
          assert.ok(!s.attrs.has('src'));
        } else {
          assert.ok(s.attrs.get('src')?.startsWith('/static/js/'), 'scripts are ours and external');
          assert.equal(s.attrs.get('type'), 'module');
        }
      }
      const inline = [...html.matchAll(/<script([^>]*)>([^<]+)<\/script>/g)];
      assert.ok(inline.every((m) => /type="application\/json" id="hc-strings"/.test(m[1])), 'no executable inline script');
      assert.equal(inline.length, 1, 'the strings block is there');
      assert.deepEqual(JSON.parse(inline[0][2]), JSON.parse(JSON.stringify(contexts.strings(html.includes('<html lang="fr">') ? 'fr' : 'en'))));
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

    test(`${name}: every field has a label; buttons say what they are`, () => {
      const all = tags(html);
      const labelled = new Set(all.filter((t) => t.name === 'label').map((t) => t.attrs.get('for')).filter(Boolean));
      for (const t of all.filter((x) => ['input', 'select', 'textarea'].includes(x.name))) {
        const type = t.attrs.get('type');
        if (type === 'hidden') continue;
        // A radio wrapped in its label needs no for/id pair.
        const wrapped = type === 'radio' && /<label class="choice__label"><input class="choice__input" type="radio"/.test(html);
        assert.ok(wrapped || labelled.has(t.attrs.get('id')) || t.attrs.has('aria-label') || t.attrs.has('aria-labelledby'), `label for <${t.name} id="${t.attrs.get('id')}">`);
      }
      for (const b of all.filter((t) => t.name === 'button')) assert.ok(['button', 'submit'].includes(b.attrs.get('type')), `button type on ${b.attrs.get('id') ?? b.attrs.get('class')}`);
      for (const form of all.filter((t) => t.name === 'form' && t.attrs.get('method') === 'post')) {
        assert.ok(form.attrs.get('action')?.startsWith('/'), 'forms post to our own paths');
      }
    });

    test(`${name}: the language switcher`, { skip: CHROMELESS.has(name) && 'a display: no chrome' }, () => {
      const nav = tags(html).find((t) => t.name === 'nav' && t.attrs.get('class') === 'language-switcher');
      assert.ok(nav, 'language switcher');
      const links = tags(html).filter((t) => t.attrs.get('class') === 'language-switcher__link');
      assert.deepEqual(links.map((l) => l.attrs.get('hreflang')), ['en', 'fr']);
      assert.equal(links.filter((l) => l.attrs.get('aria-current') === 'true').length, 1);
    });
  }
});

describe('templates use only keys that exist', () => {
  test('every {{t.key}} of every template is in en.json', () => {
    for (const [name, source] of Object.entries(templates)) {
      for (const m of source.matchAll(/\bt\.([a-z0-9_]+)/g)) assert.ok(m[1] in en, `${name}: t.${m[1]}`);
    }
  });
});

describe('petition pages are unchanged by i18n', () => {
  test('without lang/t: English, no switcher, no strings block, the same header', () => {
    const html = page('petition', contexts.petitionContext());
    assert.match(html, /^<!doctype html>\n<html lang="en">/);
    assert.ok(!html.includes('language-switcher'));
    assert.ok(!html.includes('hc-strings'));
    assert.ok(!html.includes('staff-bar'));
    assert.match(html, /<a class="skip-link" href="#main">Skip to main content<\/a>/);
    assert.match(html, /<p class="site-header__tagline">Have your say in Parliament<\/p>/);
    assert.match(html, /<title>Fund free school meals for every primary pupil – Hemicycle<\/title>/);
    assert.match(page('petition', contexts.petitionWithErrorsContext()), /<title>Error: Fund free/);
  });
});

describe('sitting page (viewer)', () => {
  const html = pages.sitting;

  test('hooks for the script and the browser tests', () => {
    const main = byId(html, 'main');
    assert.equal(main.attrs.get('data-page'), 'sitting');
    assert.equal(main.attrs.get('data-topic'), 'sitting:1');
    assert.equal(main.attrs.get('data-sitting-id'), '1');
    assert.equal(main.attrs.get('data-max-length'), '280');
    assert.equal(byId(html, 'live-status').attrs.get('role'), 'status');
    assert.equal(byId(html, 'live-announcer').attrs.get('aria-live'), 'polite');
    assert.ok(byId(html, 'viewer-count').attrs.has('hidden'), 'viewers only with JS');
    assert.equal(byId(html, 'sitting-state').attrs.get('data-state'), 'live');
    assert.ok(html.includes(scriptOf('sitting-page.js')));
  });

  test('the stream: a titled iframe that allows fullscreen, 16:9 from the CSS', () => {
    const frame = byId(html, 'stream-frame');
    assert.equal(frame.name, 'iframe');
    assert.equal(frame.attrs.get('src'), 'https://www.youtube-nocookie.com/embed/abc');
    assert.ok(frame.attrs.get('title'));
    assert.match(frame.attrs.get('allow'), /\bfullscreen\b/, 'fullscreen allowed (the allow attribute; allowfullscreen as well would only draw a warning)');
    const css = readFileSync(join(WEB, 'css', 'site.css'), 'utf8');
    assert.match(css, /\.stream__frame \{[^}]*aspect-ratio: 16 \/ 9/);
    assert.ok(!byId(pages['sitting (ended)'], 'stream-frame'), 'no frame without a stream');
  });

  test('the on-screen banner: a labelled region with the question', () => {
    const banner = byId(html, 'on-screen');
    assert.equal(banner.name, 'section');
    assert.equal(banner.attrs.get('aria-labelledby'), 'on-screen-heading');
    assert.equal(banner.attrs.get('data-question-id'), '9');
    assert.match(html, /<p class="on-screen__text" id="on-screen-text">Why do split tickets cost less than one ticket\?<\/p>/);
    assert.match(pages['sitting (ended)'], /id="on-screen-empty">No question is on screen at the moment\./);
  });

  test('the list: one item per question with its count and a no-JS vote form', () => {
    const items = tags(html).filter((t) => t.name === 'li' && t.attrs.has('data-question-id') && (t.attrs.get('class') ?? '') === 'question');
    assert.deepEqual(items.map((i) => i.attrs.get('data-question-id')), ['9', '12', '13', '5']);
    assert.deepEqual(items.map((i) => i.attrs.get('data-state')), ['on_screen', 'approved', 'approved', 'answered']);
    assert.equal(byId(html, 'question-12-votes').name, 'data');
    assert.equal(byId(html, 'question-12-votes').attrs.get('value'), '4');
    const forms = withClass(html, 'vote-form');
    assert.equal(forms.length, 3, 'answered questions take no votes');
    assert.equal(forms[1].attrs.get('action'), '/sittings/1/questions/12/vote');
    assert.equal(forms[1].attrs.get('method'), 'post');
    assert.match(html, /<form class="vote-form" method="post" action="\/sittings\/1\/questions\/12\/vote">\s*<input type="hidden" name="csrf_token" value="csrf-abc123">/);
    const button = withClass(html, 'vote-button')[1];
    assert.equal(button.attrs.get('aria-describedby'), 'question-12-text');
    assert.equal(button.attrs.get('aria-pressed'), 'false', 'the no-JS form toggles the vote, and says whether it is on');
    assert.match(html, /Will season tickets be &lt;cheaper&gt; &amp; &quot;fairer&quot;\?/, 'text is escaped');
    assert.match(html, /<span class="question__edited">Edited by the moderators<\/span>/);
    assert.ok(!pages['sitting (ended)'].includes('class="vote-form"'), 'no voting once ended');
  });

  test('the ask form: no-JS post, novalidate, csrf, labelled fields, moderation notice', () => {
    const form = byId(html, 'ask-form');
    assert.equal(form.attrs.get('method'), 'post');
    assert.equal(form.attrs.get('action'), '/sittings/1/questions');
    assert.ok(form.attrs.has('novalidate'));
    assert.match(html, /<form id="ask-form"[^>]*>\s*<input type="hidden" name="csrf_token" value="csrf-abc123">/);
    assert.equal(byId(html, 'ask-text').name, 'textarea');
    assert.equal(byId(html, 'ask-text').attrs.get('name'), 'text');
    assert.equal(byId(html, 'ask-name').attrs.get('name'), 'name');
    assert.equal(byId(html, 'ask-region').attrs.get('name'), 'region');
    assert.ok(!byId(html, 'ask-name').attrs.has('required'), 'anonymous allowed');
    assert.match(html, /Your name \(optional\)/);
    assert.match(html, /Up to 280 characters\./);
    assert.ok(byId(html, 'ask-text-count').attrs.has('hidden'), 'the counter comes with JS');
    assert.equal(byId(html, 'ask-text-count-live').attrs.get('aria-live'), 'polite');
    assert.match(html, /Questions are checked by moderators before they appear/);
    assert.equal(byId(html, 'ask-result').attrs.get('role'), 'alert');
    assert.ok(byId(html, 'ask-closed').attrs.has('hidden'));
    const required = page('sitting', contexts.sittingPageContext({ sitting: { allow_anonymous: false } }));
    assert.ok(byId(required, 'ask-name').attrs.has('required'));
  });

  test('errors: a summary first, messages tied to the fields, values kept and escaped', () => {
    const errors = pages['sitting (errors)'];
    const summaryAt = errors.indexOf('id="error-summary"');
    assert.ok(summaryAt > 0 && summaryAt < errors.indexOf('<h1'));
    assert.match(errors, /<a href="#ask-text">Your question must not contain &lt; or &gt;<\/a>/);
    assert.match(errors, /<li>Check what you entered\.<\/li>/);
    const text = byId(errors, 'ask-text');
    assert.equal(text.attrs.get('aria-invalid'), 'true');
    assert.deepEqual(text.attrs.get('aria-describedby').split(' '), ['ask-text-hint', 'ask-text-error']);
    assert.match(errors, /<textarea[^>]*>Is &lt;this&gt; too long\?<\/textarea>/);
    assert.equal(byId(errors, 'ask-region').attrs.get('aria-describedby'), 'ask-region-error');
    assert.ok(!byId(errors, 'ask-name').attrs.has('aria-invalid'));
    assert.match(errors, /<title>Error: /);
  });

  test('ended: the form is replaced by a notice; the flash is shown', () => {
    const ended = pages['sitting (ended)'];
    assert.ok(!byId(ended, 'ask-form'));
    assert.ok(!byId(ended, 'ask-closed').attrs.has('hidden'));
    assert.match(ended, /This sitting has ended: it no longer takes questions\./);
    assert.match(ended, /<div class="notice notice--success" id="flash" role="status"><p>Your question has been sent\.<\/p><\/div>/);
    assert.equal(byId(ended, 'record-link').attrs.get('href'), '/sittings/1/record', 'an ended sitting links to its record');
    assert.ok(!byId(pages.sitting, 'record-link'), 'not before it ends');
    assert.match(readFileSync(join(WEB, 'css', 'site.css'), 'utf8'), /\.sitting-page\[data-state="ended"\] \.on-screen \{ display: none; \}/,
      'no "on screen now" banner once the sitting ended');
  });

  test('without a participant: the page says why, with no ask form and no vote buttons', () => {
    const refused = page('sitting', contexts.participantRefusedSittingPageContext());
    const notice = byId(refused, 'participant-refused');
    assert.equal(notice.attrs.get('role'), 'status');
    assert.match(refused, /you cannot ask or vote from this network for the moment/);
    assert.ok(!byId(refused, 'ask-form'), 'no ask form');
    assert.ok(!refused.includes('class="vote-form"'), 'no vote buttons');
    assert.ok(!refused.includes('name="csrf_token"'), 'no token to post with');
    assert.match(refused, /data-can-take-part="false"/);
    assert.ok(!byId(html, 'participant-refused'), 'a participant sees no such notice');
    assert.match(html, /data-can-take-part="true"/);
  });

  test('"Your questions" is hidden without JavaScript', () => {
    const mine = byId(html, 'my-questions');
    assert.ok(mine.attrs.has('hidden'));
    assert.ok(byId(html, 'my-question-list'));
  });

  test('Open Graph tags when og is given', () => {
    assert.match(html, /<meta property="og:title" content="Oral evidence: Rail fares and ticketing reform">/);
    assert.match(html, /<meta property="og:url" content="https:\/\/hemicycle.example\/sittings\/1">/);
  });

  test('French: lang, strings and the current language', () => {
    const fr = pages['sitting (fr)'];
    assert.match(fr, /^<!doctype html>\n<html lang="fr">/);
    assert.match(fr, /Poser une question/);
    assert.match(fr, /<a class="language-switcher__link" href="\/sittings\/1\?lang=fr" hreflang="fr" lang="fr" aria-current="true">Français<\/a>/);
  });
});

describe('other hearing pages', () => {
  test('sittings: live, upcoming and past, each linking to its page; empty lists say so', () => {
    const html = pages.sittings;
    assert.match(html, /<a class="card__link" href="\/sittings\/1">Oral evidence: Rail fares and ticketing reform<\/a>/);
    assert.match(html, /<a class="card__link" href="\/sittings\/2">Energy prices<\/a>/);
    assert.match(html, /No sittings have taken place yet\./);
    assert.ok(!html.includes('<script type="module"'), 'no script needed');
    const past = page('sittings', { ...contexts.sittingsContext(), past: [contexts.sampleSitting({ id: 3, state: 'ended', state_text: 'Ended', is_ended: true, is_live: false })] });
    assert.match(past, /<a class="link" href="\/sittings\/3\/record">Record of the sitting<\/a>/, 'a past sitting links to its record page');
  });

  test('screen: no chrome, a body class, the question on screen and the top of the queue', () => {
    const html = pages.screen;
    assert.match(html, /<body class="screen-body">/);
    assert.ok(!html.includes('site-header') && !html.includes('site-footer'));
    assert.equal(byId(html, 'main').attrs.get('data-page'), 'screen');
    assert.equal(byId(html, 'main').attrs.get('data-topic'), 'sitting:1');
    assert.equal(byId(html, 'on-screen').attrs.get('data-question-id'), '9');
    assert.equal(byId(html, 'top-list').name, 'ol');
    assert.equal(tags(html).filter((t) => t.attrs.get('class') === 'screen__item').length, 2);
    assert.ok(html.includes(scriptOf('screen-page.js')));
  });

  test('screen: the top of the queue says when nothing waits (the CSS hides it while the list has items)', () => {
    const empty = page('screen', { ...contexts.screenContext(), top: [] });
    assert.match(empty, /<ol class="screen__list" id="top-list">\s*<\/ol>\s*<p class="screen__empty screen__top-empty" id="top-empty">No question is waiting at the moment\.<\/p>/);
    assert.ok(byId(pages.screen, 'top-empty'), 'always rendered, so the script can show it again');
    const css = readFileSync(join(WEB, 'css', 'site.css'), 'utf8');
    assert.ok(css.includes('.screen__list:has(> li) + .screen__top-empty { display: none; }'));
  });

  test('moderate: JS console with a noscript notice, two lists, actions with their keys, dialogs', () => {
    const html = pages.moderate;
    const main = byId(html, 'main');
    assert.equal(main.attrs.get('data-moderation-topic'), 'sitting:1:moderation');
    assert.equal(main.attrs.get('data-topic'), 'sitting:1');
    assert.equal(main.attrs.get('data-staff-id'), '7');
    assert.match(html, /<noscript><div class="notice notice--warning"><p>This console needs JavaScript/);
    assert.equal(byId(html, 'queue-list').name, 'ol');
    assert.equal(byId(html, 'approved-list').name, 'ol');
    assert.equal(byId(html, 'moderation-alert').attrs.get('role'), 'alert');
    const actions = tags(html).filter((t) => t.name === 'button' && t.attrs.has('data-action'));
    assert.deepEqual(actions.map((b) => [b.attrs.get('data-action'), b.attrs.get('aria-keyshortcuts')]), [
      ['claim', 'c'], ['approve', 'a'], ['reject', 'r'], ['edit', 'e'], ['merge', 'm'], ['tag', 't'], ['priority', 'p'], ['release_votes', 'v'], ['note', 'n'], ['help', '?'],
    ]);
    for (const id of ['reject-dialog', 'tag-dialog', 'merge-dialog', 'priority-dialog', 'note-dialog', 'help-dialog']) {
      const dialog = byId(html, id);
      assert.equal(dialog.name, 'dialog', id);
      assert.equal(dialog.attrs.get('role'), 'dialog');
      assert.equal(dialog.attrs.get('aria-modal'), 'true');
      assert.ok(dialog.attrs.get('aria-labelledby'));
    }
    assert.equal(tags(html).filter((t) => t.name === 'input' && t.attrs.get('name') === 'reason').length, 3);
    assert.match(html, /<input class="choice__input" type="radio" name="reason" value="off_topic">/);
    assert.deepEqual(tags(html).filter((t) => t.name === 'input' && t.attrs.get('name') === 'tag').map((t) => t.attrs.get('value')), ['', 'Fares', 'Ticketing', 'Rail Minister', 'Network Rail']);
    assert.equal(byId(html, 'merge-filter').attrs.get('role'), 'combobox');
    assert.equal(byId(html, 'merge-options').attrs.get('role'), 'listbox');
    assert.match(html, /<p class="body mod-list__empty" id="approved-empty">No published question is waiting\.<\/p>/);
    assert.ok(html.includes(scriptOf('moderate-page.js')));
  });

  test('staff pages show who is signed in and a logout form with the csrf token', () => {
    for (const name of ['moderate', 'chair', 'staff-home', 'password']) {
      const html = pages[name];
      assert.ok(byId(html, 'staff-name'), name);
      assert.match(html, /<form class="staff-bar__logout" id="logout-form" method="post" action="\/staff\/logout">\s*<input type="hidden" name="csrf_token" value="csrf-abc123">/, name);
    }
    assert.ok(!byId(pages.sitting, 'logout-form'));
  });

  test('chair: state buttons, on screen, queue controls, notes, answered, record links', () => {
    const html = pages.chair;
    assert.equal(byId(html, 'main').attrs.get('data-moderation-topic'), 'sitting:1:moderation');
    assert.ok(byId(html, 'start-sitting').attrs.has('hidden'), 'live: no start');
    assert.ok(!byId(html, 'end-sitting').attrs.has('hidden'));
    for (const id of ['stream-clock', 'chair-on-screen-body', 'answered-button', 'clear-screen-button', 'pull-next', 'chair-queue', 'answered-list', 'notes-list', 'unread-count', 'presence-list', 'end-dialog', 'end-confirm']) {
      assert.ok(byId(html, id), id);
    }
    assert.equal(byId(html, 'stream-clock').name, 'time');
    assert.match(html, /id="stream-clock" datetime="PT0S">-:--<\/time>/, 'the placeholder has the m:ss shape');
    assert.equal(byId(html, 'chair-on-screen').attrs.get('data-empty'), 'true', 'the light empty panel until the script knows');
    assert.match(html, /<p class="chair-on-screen__empty-title">No question is on screen<\/p>/);
    assert.deepEqual(tags(html).filter((t) => t.name === 'input' && t.attrs.get('name') === 'order').map((t) => t.attrs.get('value')), ['votes', 'priority']);
    assert.deepEqual(tags(html).filter((t) => t.name === 'option').map((t) => t.attrs.get('value')), ['', 'Fares', 'Ticketing', 'Rail Minister', 'Network Rail']);
    for (const href of ['/sittings/1/record.csv', '/sittings/1/record.json', '/sittings/1/chapters.txt']) assert.ok(html.includes(`href="${href}"`), href);
    const scheduled = page('chair', { ...contexts.chairContext(), sitting: contexts.sampleSitting({ state: 'scheduled', is_live: false }) });
    assert.ok(!byId(scheduled, 'start-sitting').attrs.has('hidden'));
    assert.ok(byId(scheduled, 'end-sitting').attrs.has('hidden'));
    assert.ok(html.includes(scriptOf('chair-page.js')));
  });

  test('dashboard: no-JS lists of sittings and petitions; the live topic', () => {
    const html = pages.dashboard;
    assert.equal(byId(html, 'main').attrs.get('data-topic'), 'dashboard');
    assert.match(html, /data-stat="viewers">212</);
    assert.match(html, /data-stat="signature_count">10,412</);
    assert.ok(html.includes(scriptOf('dashboard-page.js')));
  });

  test('login: a plain form post with csrf and next', () => {
    const html = pages.login;
    const form = byId(html, 'login-form');
    assert.equal(form.attrs.get('action'), '/staff/login');
    assert.ok(form.attrs.has('novalidate'));
    assert.match(html, /<input type="hidden" name="next" value="\/sittings\/1\/moderate">/);
    assert.equal(byId(html, 'login-email').attrs.get('autocomplete'), 'username');
    assert.equal(byId(html, 'login-password').attrs.get('type'), 'password');
    assert.ok(!html.includes('<script type="module"'));
    assert.match(pages['login (errors)'], /<a href="#login-email">The email address or the password is not right\.<\/a>/);
    assert.equal(byId(pages['login (errors)'], 'login-email').attrs.get('value'), 'mo@example.org');
  });

  test('staff home: sittings with their consoles, the password notice, one way to a new sitting (the form page)', () => {
    const html = pages['staff-home'];
    assert.ok(byId(html, 'password-change-required'));
    assert.match(html, /href="\/staff\/password"/);
    assert.match(html, /href="\/sittings\/1\/moderate"/);
    assert.match(html, /href="\/sittings\/1\/chair"/);
    assert.ok(!html.includes('href="/sittings/2/chair"'));
    assert.equal(byId(html, 'new-sitting-page-link').attrs.get('href'), '/staff/sittings/new');
    assert.ok(!byId(html, 'new-sitting-form') && !byId(html, 'sitting-title'), 'no inline form: the sitting form page is the one way');
    assert.ok(!html.includes('<script type="module"'), 'the staff home needs no script');
    const plain = page('staff-home', contexts.staffHomeContext({ can_create: false, password_change_required: false }));
    assert.ok(!byId(plain, 'new-sitting-page-link') && !byId(plain, 'password-change-required'));
  });

  test('password: current, new and confirm with their errors', () => {
    const html = pages['password (errors)'];
    assert.equal(byId(html, 'password-form').attrs.get('action'), '/staff/password');
    assert.deepEqual(['current', 'new', 'confirm'].map((f) => byId(html, `password-${f}`).attrs.get('name')), ['current', 'new', 'confirm']);
    assert.deepEqual(byId(html, 'password-new').attrs.get('aria-describedby').split(' '), ['password-new-hint', 'password-new-error']);
    assert.equal(byId(html, 'password-current').attrs.get('aria-invalid'), 'true');
  });

  test('moderation log: a captioned table, counts, downloads, no personal data', () => {
    const html = pages['moderation-log'];
    assert.match(html, /<caption class="table__caption" id="log-table-caption">/);
    assert.equal(tags(html).filter((t) => t.name === 'tr' && t.attrs.has('data-question-id')).length, 2);
    assert.match(html, /href="\/sittings\/1\/moderation-log.csv"/);
    assert.match(html, /href="\/sittings\/1\/moderation-log.json"/);
    assert.match(html, /<th scope="row">Rejected: off topic<\/th><td class="table__num">1<\/td>/);
    assert.ok(!/Ana|Wales/.test(html), 'no names or regions');
  });

  test('moderation log on a phone: stacked rows that keep their roles; each cell names its column for the eye only', () => {
    const html = pages['moderation-log'];
    const table = byId(html, 'log-table');
    assert.ok(table.attrs.get('class').split(' ').includes('table--stack'));
    assert.equal(table.attrs.get('role'), 'table');
    const all = tags(html);
    assert.equal(all.filter((t) => t.name === 'th' && t.attrs.get('role') === 'columnheader').length, 5);
    assert.equal(all.filter((t) => t.name === 'tr' && t.attrs.get('role') === 'row' && t.attrs.has('data-question-id')).length, 2);
    const labels = all.filter((t) => t.name === 'span' && t.attrs.get('class') === 'table__label');
    assert.ok(labels.length >= 8 && labels.every((t) => t.attrs.get('aria-hidden') === 'true'), 'labels hidden from screen readers');
    assert.match(html, /<td role="cell"><\/td>/, 'an entry without a reason has an empty cell (no line in the stack)');
    assert.match(html, /<span class="table__label" aria-hidden="true">Reason<\/span>Not about the subject of the sitting<\/td>/);
  });
});

describe('the chair reads the queue but does not claim', () => {
  test('the chair console has no claim control and its script never calls the claim API', () => {
    const chair = pages.chair;
    assert.ok(!/data-action="claim"/.test(chair), 'no claim button');
    assert.ok(!/aria-keyshortcuts="c"/.test(chair), 'no claim key');
    const script = readFileSync(join(WEB, 'js', 'chair-page.js'), 'utf8');
    assert.ok(!/\/claim\b/.test(script), 'chair-page.js sends no claim (a chair is refused with chair_cannot_claim)');
    // The moderators' console does claim: the check above is not vacuous.
    assert.match(readFileSync(join(WEB, 'js', 'moderate-actions.js'), 'utf8'), /\/claim\b/);
    assert.match(pages.moderate, /data-action="claim"/);
  });
});
