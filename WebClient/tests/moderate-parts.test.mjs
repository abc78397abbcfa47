// The moderation console's parts, each alone: moderate-actions.js (the API calls with a fake API: one call per
// question at a time, answers applied, refusals shown and the questions read again), moderate-lists.js (the two lists
// on the rendered template in a small DOM: order, counts, roving tabindex, selection kept and moved, focus),
// moderate-dialogs.js (each dialog: numbered choices, errors, bodies, focus given back) and moderate-edit.js (the
// inline edit: keys, empty and unchanged texts, an edit of a question that left). tests/moderate.test.mjs runs them
// together through moderate-page.js.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ApiError } from '../js/api.js';
import { translator } from '../js/i18n.js';
import { DONE_KEYS, RELOAD_STATUSES, actionErrorText, excerpt, moderationActions } from '../js/moderate-actions.js';
import { MERGE_KEYS, dialogFocus, wireModerationDialogs } from '../js/moderate-dialogs.js';
import { inlineEdit } from '../js/moderate-edit.js';
import { LIST_NAMES, wireModerationLists } from '../js/moderate-lists.js';
import * as contexts from './support/contexts.mjs';
import { FakeEvent, parseHtml } from './support/fake-dom.mjs';
import { REPO_ROOT } from './support/fakes.mjs';
import { loadTemplates, render } from './support/mustache.mjs';

const templates = await loadTemplates(join(REPO_ROOT, 'WebClient', 'templates'));
const strings = contexts.strings('en');
const t = translator(strings, { lang: 'en-GB', onMissing: (key) => { throw new Error(`missing string ${key}`); } });
const numbers = new Intl.NumberFormat('en-GB');
const NOW = Date.parse('2026-11-29T14:30:00.000Z');
const me = { id: '7', name: 'Mo Derator' };
const page = () => parseHtml(render(templates.moderate, contexts.moderateContext(), templates));
const settle = async () => { for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0)); };
const q = (id, overrides = {}) => ({
  id, sitting_id: 1, text: `Question ${id}?`, state: 'submitted', votes: 0, name: null, region: null, tag: null, priority: 0,
  participant: `p${id}`, claimed_by: null, held_votes: 0, ...overrides,
});
const key = (target, k, init = {}) => target.dispatchEvent(new FakeEvent('keydown', { key: k, target, ...init }));
const submit = (form) => form.dispatchEvent(new FakeEvent('submit'));

describe('moderate-actions: the API calls', () => {
  /** A fake api.js client: `answers[path]` gives the answer or throws; every call is kept. */
  function setUp(answers = {}) {
    const calls = [];
    const seen = { questions: [], claims: [], lists: [], said: [], alerts: [], cleared: 0, changes: 0 };
    const held = [];
    const api = async (path, init) => {
      calls.push({ path, method: init?.method ?? 'GET', body: init?.body });
      if (answers.hold) await new Promise((resolve) => { held.push(resolve); });
      const answer = answers[path];
      return typeof answer === 'function' ? answer(init) : answer ?? {};
    };
    const actions = moderationActions({
      api, t, sittingId: '1', me, now: () => NOW,
      onQuestion: (x) => seen.questions.push(x), onClaim: (x) => seen.claims.push(x), onQuestions: (x) => seen.lists.push(x),
      onChange: () => { seen.changes += 1; }, say: (x) => seen.said.push(x), showAlert: (x) => seen.alerts.push(x),
      clearAlert: () => { seen.cleared += 1; },
    });
    return { actions, calls, seen, release: () => { for (const resolve of held.splice(0)) resolve(); } };
  }
  const refused = (status, code, message) => () => { throw new ApiError({ status, code, message }); };

  test('a moderation: posted once however often asked while under way, the answer applied, done said with an excerpt', async () => {
    const answered = q(2, { state: 'approved' });
    const { actions, calls, seen, release } = setUp({ hold: true, '/api/v1/questions/2/moderation': { question: answered } });
    const first = actions.moderate(q(2, { text: 'Will the   trains\nrun?' }), { action: 'approve' });
    assert.equal(actions.isPending(2), true, 'busy while the call is under way');
    const second = actions.moderate(q(2), { action: 'approve' });
    await settle();
    release();
    assert.equal(await second, false, 'a second press sends nothing');
    assert.equal(await first, true);
    assert.deepEqual(calls, [{ path: '/api/v1/questions/2/moderation', method: 'POST', body: { action: 'approve' } }]);
    assert.deepEqual(seen.questions, [answered]);
    assert.deepEqual(seen.said, ['Approved: Will the trains run?']);
    assert.equal(actions.isPending(2), false);
    assert.equal(seen.changes, 2, 'drawn when the call began and when it ended');
    assert.equal(seen.cleared, 1, 'the last alert is cleared');
  });

  test('a 409 shows the server\'s message and reads the questions again; a 422 does not; no answer says so in the page\'s words', async () => {
    const list = [q(1, { state: 'rejected' })];
    const conflict = setUp({
      '/api/v1/questions/1/moderation': refused(409, 'question_not_submitted', 'Another moderator rejected it.'),
      '/api/v1/sittings/1/questions': { questions: list },
    });
    assert.equal(await conflict.actions.moderate(q(1), { action: 'approve' }), false);
    await settle();
    assert.deepEqual(conflict.seen.alerts, ['Another moderator rejected it.']);
    assert.deepEqual(conflict.calls.map((c) => `${c.method} ${c.path}`), ['POST /api/v1/questions/1/moderation', 'GET /api/v1/sittings/1/questions']);
    assert.deepEqual(conflict.seen.lists, [list]);
    assert.deepEqual(conflict.seen.said, [], 'nothing said done');
    assert.ok(RELOAD_STATUSES.includes(404));

    const invalid = setUp({ '/api/v1/questions/1/moderation': refused(422, 'invalid_input', 'Too long.') });
    await invalid.actions.moderate(q(1), { action: 'edit', text: 'x' });
    await settle();
    assert.equal(invalid.calls.length, 1, 'the questions are not read again');
    assert.deepEqual(invalid.seen.alerts, ['Too long.']);

    const offline = setUp({ '/api/v1/questions/1/moderation': refused(0, 'network_error', '') });
    await offline.actions.moderate(q(1), { action: 'approve' });
    assert.deepEqual(offline.seen.alerts, [strings.network_failed]);
    assert.equal(actionErrorText(t, new Error('boom')), strings.action_failed);
  });

  test('a claim: taken with POST; mine (still valid) given back with DELETE', async () => {
    const take = setUp({ '/api/v1/questions/3/claim': { claimed_by: me, until: '2026-11-29T14:31:00.000Z' } });
    await take.actions.toggleClaim(q(3));
    assert.equal(take.calls[0].method, 'POST');
    assert.deepEqual(take.seen.claims, [{ question_id: 3, claimed_by: me, until: '2026-11-29T14:31:00.000Z' }]);
    assert.deepEqual(take.seen.said, [strings.done_claim]);

    const give = setUp();
    await give.actions.toggleClaim(q(3, { claimed_by: me, claimed_until: '2026-11-29T14:31:00.000Z' }));
    assert.equal(give.calls[0].method, 'DELETE');
    assert.deepEqual(give.seen.claims, [{ question_id: 3, claimed_by: null, until: null }]);
    assert.deepEqual(give.seen.said, [strings.done_release]);
  });

  test('a note: posted to the sitting, said; its refusal is thrown for the dialog to show', async () => {
    const ok = setUp();
    await ok.actions.sendNote({ text: 'Take 4 next', question: 4 });
    assert.deepEqual(ok.calls, [{ path: '/api/v1/sittings/1/notes', method: 'POST', body: { text: 'Take 4 next', question: 4 } }]);
    assert.deepEqual(ok.seen.said, [strings.done_note]);
    const refusedNote = setUp({ '/api/v1/sittings/1/notes': refused(403, 'forbidden', 'No.') });
    await assert.rejects(refusedNote.actions.sendNote({ text: 'x' }), ApiError);
    assert.deepEqual(refusedNote.seen.said, []);
  });

  test('excerpts and the confirmation keys', () => {
    assert.equal(excerpt('  a   b  '), 'a b');
    assert.equal(excerpt('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
    for (const value of Object.values(DONE_KEYS)) assert.ok(value in strings, value);
  });
});

describe('moderate-lists: the two lists', () => {
  function setUp({ queue = [q(1), q(2), q(3)], approved = [q(9, { state: 'approved' })], busy = [], dialog = false } = {}) {
    const doc = page();
    const state = { queue, approved, dialog };
    const shown = [];
    let changes = 0;
    const lists = wireModerationLists({
      doc, t, numbers, me, now: () => NOW,
      items: { queue: () => state.queue, approved: () => state.approved },
      isBusy: (id) => busy.includes(id), dialogOpen: () => state.dialog,
      onShown: (name, ids) => shown.push([name, ids]), onChange: () => { changes += 1; },
    });
    const items = (name) => doc.getElementById(`${name}-list`).children;
    lists.render();
    return { doc, state, lists, shown, items, changes: () => changes };
  }

  test('drawn from the state: order, counts, empty notes, one tab stop on the first of the queue', () => {
    const { doc, items, shown } = setUp({ busy: [2] });
    assert.deepEqual(LIST_NAMES, ['queue', 'approved']);
    assert.deepEqual(items('queue').map((li) => li.dataset.questionId), ['1', '2', '3']);
    assert.deepEqual(items('approved').map((li) => li.dataset.questionId), ['9']);
    assert.equal(doc.getElementById('queue-count').textContent, '3');
    assert.equal(doc.getElementById('queue-empty').hidden, true);
    assert.deepEqual(items('queue').map((li) => li.tabIndex), [0, -1, -1]);
    assert.equal(items('queue')[1].getAttribute('aria-busy'), 'true', 'an action under way shows');
    assert.deepEqual(shown, [['queue', [1, 2, 3]], ['approved', [9]]]);
    assert.equal(doc.getElementById('main').dataset.activeList, 'queue');
  });

  test('moving: next selects and focuses, the other list when this one is empty; the action bar is told', () => {
    const { doc, lists, items, changes } = setUp();
    assert.equal(items('queue')[0].getAttribute('aria-current'), 'true', 'the first is selected from the start');
    const before = changes();
    lists.move('next');
    assert.equal(items('queue')[1].getAttribute('aria-current'), 'true');
    assert.equal(items('queue')[0].hasAttribute('aria-current'), false);
    assert.equal(doc.activeElement, items('queue')[1]);
    lists.move('last');
    assert.equal(doc.activeElement, items('queue')[2]);
    assert.deepEqual(lists.selection(), { list: 'queue', id: 3 });
    assert.ok(changes() > before);
    const empty = setUp({ queue: [] });
    empty.lists.move('next');
    assert.deepEqual(empty.lists.selection(), { list: 'approved', id: 9 });
    assert.equal(empty.doc.getElementById('queue-empty').hidden, false);
    assert.equal(empty.doc.getElementById('main').dataset.activeList, 'approved');
  });

  test('a question leaves: the next one is selected and takes the focus the list had, unless a dialog is open', () => {
    const { doc, state, lists, items } = setUp();
    lists.select('queue', 2);
    assert.equal(doc.activeElement, items('queue')[1]);
    state.queue = [q(1), q(3)];
    lists.render();
    assert.deepEqual(lists.selection(), { list: 'queue', id: 3 });
    assert.equal(doc.activeElement, items('queue')[1], 'the focus stays in the list');
    assert.equal(items('queue')[1].dataset.questionId, '3');

    const other = setUp();
    other.lists.select('queue', 2);
    other.state.dialog = true;
    other.state.queue = [q(1), q(3)];
    other.lists.render();
    assert.notEqual(other.doc.activeElement, other.items('queue')[1], 'a dialog keeps its focus');
  });

  test('pointer and focus: a click selects and focuses; focus arriving on an item selects it in place', () => {
    const { doc, lists, items } = setUp();
    const approvedItem = items('approved')[0];
    approvedItem.querySelector('.mod-item__text').click();
    assert.deepEqual(lists.selection(), { list: 'approved', id: 9 });
    assert.equal(doc.activeElement, approvedItem);
    assert.equal(approvedItem.classList.contains('mod-item--active'), true);
    const third = items('queue')[2];
    third.dispatchEvent(new FakeEvent('focusin', { target: third }));
    assert.deepEqual(lists.selection(), { list: 'queue', id: 3 });
    assert.equal(doc.getElementById('main').dataset.activeList, 'queue');
    assert.equal(lists.fallbackFocus(), third);
  });
});

describe('moderate-dialogs: each dialog alone', () => {
  function setUp({ questions = [q(1), q(2, { tag: 'Fares', priority: 3 })], approved = [q(5, { state: 'approved', text: 'Fares in winter?' }), q(6, { state: 'approved', text: 'Ticket offices?' })], selected = null, sendNote } = {}) {
    const doc = page();
    const byId = new Map([...questions, ...approved].map((x) => [x.id, x]));
    const moderated = [];
    const notes = [];
    const alerts = [];
    const opener = doc.getElementById('help-button');
    const dialogs = wireModerationDialogs({
      doc, t, numbers,
      question: (id) => byId.get(id) ?? null,
      targets: (id, filter) => approved.filter((x) => x.id !== id && x.text.toLowerCase().includes(filter.toLowerCase())),
      selected: () => selected,
      onModerate: (x, body) => moderated.push([x.id, body]),
      sendNote: sendNote ?? (async (body) => { notes.push(body); }),
      errorText: (error) => error.message,
      showAlert: (text) => alerts.push(text),
      fallbackFocus: () => opener,
    });
    return { doc, dialogs, moderated, notes, alerts, opener, $: (id) => doc.getElementById(id) };
  }

  test('reject: the reasons are numbered, a digit picks one, Enter sends; the focus goes back to what had it', () => {
    const { doc, dialogs, moderated, opener, $ } = setUp();
    opener.focus();
    dialogs.reject(q(1));
    const dialog = $('reject-dialog');
    assert.equal(dialog.open, true);
    assert.equal($('reject-dialog-question').textContent, 'Question 1?');
    assert.deepEqual($('reject-form').querySelectorAll('.choice__key').map((k) => k.textContent), ['1', '2', '3']);
    assert.equal(dialogs.isOpen(), true);
    key(dialog, '2');
    const second = $('reject-form').querySelectorAll('input[type="radio"]')[1];
    assert.equal(second.checked, true);
    assert.equal(doc.activeElement, second);
    key(second, 'Enter');
    assert.deepEqual(moderated, [[1, { action: 'reject', reason: 'abusive' }]]);
    assert.equal(dialog.open, false);
    assert.equal(doc.activeElement, opener, 'the focus is given back');
  });

  test('reject: no reason says so and sends nothing; a question already published cannot be rejected', () => {
    const { dialogs, moderated, alerts, $ } = setUp();
    dialogs.reject(q(1));
    submit($('reject-form'));
    assert.equal($('reject-error').textContent, strings.reject_choose_reason);
    assert.equal($('reject-dialog').open, true);
    assert.deepEqual(moderated, []);
    $('reject-dialog').close();
    dialogs.reject(q(5, { state: 'approved' }));
    assert.equal($('reject-dialog').open, false);
    assert.deepEqual(alerts, [strings.reject_only_submitted]);
  });

  test('tag: the current tag is chosen; the same tag sends nothing, another sends it; "No tag" sends null', () => {
    const { dialogs, moderated, $ } = setUp();
    dialogs.tag(q(2, { tag: 'Fares' }));
    const inputs = $('tag-form').querySelectorAll('input[name="tag"]');
    assert.equal(inputs.find((i) => i.checked).value, 'Fares');
    submit($('tag-form'));
    assert.deepEqual(moderated, [], 'unchanged');
    dialogs.tag(q(2, { tag: 'Fares' }));
    for (const input of inputs) input.checked = input.value === '';
    submit($('tag-form'));
    assert.deepEqual(moderated, [[2, { action: 'tag', tag: null }]]);
  });

  test('priority: a number from -100 to 100, else the field is marked and says why', () => {
    const { dialogs, moderated, $ } = setUp();
    dialogs.priority(q(2, { priority: 3 }));
    assert.equal($('priority-input').value, '3');
    $('priority-input').value = '1000';
    submit($('priority-form'));
    assert.equal($('priority-input').getAttribute('aria-invalid'), 'true');
    assert.equal($('priority-error').textContent, strings.priority_invalid);
    assert.deepEqual(moderated, []);
    $('priority-input').value = '-5';
    submit($('priority-form'));
    assert.equal($('priority-input').hasAttribute('aria-invalid'), false);
    assert.deepEqual(moderated, [[2, { action: 'priority', priority: -5 }]]);
  });

  test('merge: the filter narrows the targets, arrows move the active option, the form merges into it', () => {
    const { dialogs, moderated, $ } = setUp();
    dialogs.merge(q(1));
    const filter = $('merge-filter');
    const options = () => $('merge-options').children.map((li) => li.dataset.questionId);
    assert.deepEqual(options(), ['5', '6']);
    assert.equal(filter.getAttribute('aria-activedescendant'), 'merge-opt-5');
    key(filter, 'ArrowDown');
    assert.equal(filter.getAttribute('aria-activedescendant'), 'merge-opt-6');
    assert.equal($('merge-opt-6').getAttribute('aria-selected'), 'true');
    assert.equal(MERGE_KEYS.ArrowDown, 'next');
    filter.value = 'nothing like it';
    filter.dispatchEvent(new FakeEvent('input'));
    assert.deepEqual(options(), []);
    assert.equal($('merge-none').hidden, false);
    assert.equal(filter.hasAttribute('aria-activedescendant'), false);
    submit($('merge-form'));
    assert.equal($('merge-error').textContent, strings.merge_choose);
    filter.value = 'ticket';
    filter.dispatchEvent(new FakeEvent('input'));
    submit($('merge-form'));
    assert.deepEqual(moderated, [[1, { action: 'merge', into: 6 }]]);
  });

  test('note: empty says so; about the selected question when ticked; a refusal stays in the dialog', async () => {
    const { dialogs, notes, $ } = setUp({ selected: q(2, { text: 'Is it about fares?' }) });
    dialogs.note();
    assert.equal($('note-about-group').hidden, false);
    assert.equal($('note-about-question').textContent, '“Is it about fares?”');
    submit($('note-form'));
    await settle();
    assert.equal($('note-error').textContent, strings.note_empty);
    $('note-text').value = ' Take this one next ';
    key($('note-text'), 'Enter', { ctrlKey: true });
    await settle();
    assert.deepEqual(notes, [{ text: 'Take this one next', question: 2 }]);
    assert.equal($('note-text').value, '');
    assert.equal($('note-dialog').open, false);

    const failing = setUp({ sendNote: async () => { throw new ApiError({ status: 403, code: 'forbidden', message: 'Not yours.' }); } });
    failing.dialogs.note();
    assert.equal(failing.$('note-about-group').hidden, true, 'nothing selected: no question to attach');
    failing.$('note-text').value = 'Hello';
    submit(failing.$('note-form'));
    await settle();
    assert.equal(failing.$('note-error').textContent, 'Not yours.');
    assert.equal(failing.$('note-dialog').open, true);
    assert.equal(failing.$('note-form').querySelector('[type="submit"]').disabled, false, 'the button works again');
  });

  test('help, and a close button gives the focus back to the fallback when the opener is gone', () => {
    const doc = page();
    const fallback = doc.getElementById('queue-list');
    const focus = dialogFocus({ doc, fallbackFocus: () => fallback });
    const help = doc.getElementById('help-dialog');
    focus.open(help);
    assert.equal(help.open, true);
    assert.equal(doc.activeElement, help.querySelector('[data-close]'), 'the focus is in the dialog');
    help.querySelector('[data-close]').click();
    assert.equal(help.open, false);
    assert.equal(doc.activeElement, fallback);
    assert.equal(focus.isOpen(), false);
  });
});

describe('moderate-edit: the inline edit', () => {
  function setUp(current = q(4, { text: 'Old text?' })) {
    const doc = page();
    const li = doc.createElement('li');
    li.className = 'mod-item';
    doc.getElementById('queue-list').append(li);
    const saved = [];
    const said = [];
    const refocused = [];
    const edit = inlineEdit({
      doc, t, question: () => current, onSave: (x, text) => saved.push([x.id, text]), say: (x) => said.push(x),
      refocus: (list, id) => refocused.push([list, id]),
    });
    edit.start(q(4, { text: 'Old text?' }), li, 'queue');
    return { doc, li, edit, saved, said, refocused, textarea: () => li.querySelector('textarea') };
  }

  test('a labelled field with its hint, in the item, focused; Escape cancels and gives the focus back', () => {
    const { doc, li, edit, saved, refocused, textarea } = setUp();
    assert.equal(textarea().value, 'Old text?');
    assert.equal(doc.activeElement, textarea());
    assert.equal(li.querySelector('label').getAttribute('for'), 'mod-edit-4');
    assert.equal(textarea().getAttribute('aria-describedby'), 'mod-edit-4-hint');
    assert.ok(li.classList.contains('mod-item--editing'));
    assert.deepEqual(edit.editing(), { id: 4, list: 'queue' });
    const escape = new FakeEvent('keydown', { key: 'Escape', target: textarea() });
    textarea().dispatchEvent(escape);
    assert.equal(escape.propagationStopped, true, 'the console\'s keys do not see it');
    assert.equal(li.querySelector('form'), null);
    assert.equal(li.classList.contains('mod-item--editing'), false);
    assert.deepEqual(refocused, [['queue', 4]]);
    assert.deepEqual(saved, []);
  });

  test('Enter saves a changed text (of the question as it is now); Shift+Enter does not; unchanged sends nothing', () => {
    const changed = setUp();
    changed.textarea().value = 'New text?';
    key(changed.textarea(), 'Enter', { shiftKey: true });
    assert.ok(changed.li.querySelector('form'), 'a new line, not a save');
    key(changed.textarea(), 'Enter');
    assert.deepEqual(changed.saved, [[4, 'New text?']]);
    assert.equal(changed.edit.editing(), null);

    const same = setUp();
    key(same.textarea(), 'Enter');
    assert.deepEqual(same.saved, []);
    assert.equal(same.edit.editing(), null);
  });

  test('an empty text is refused and the edit stays; a second start keeps the first edit; a question that left ends it', () => {
    const { li, edit, saved, said, refocused, textarea, doc } = setUp();
    textarea().value = '   ';
    submit(li.querySelector('form'));
    assert.equal(textarea().getAttribute('aria-invalid'), 'true');
    assert.deepEqual(said, [strings.edit_empty]);
    assert.deepEqual(saved, []);
    doc.body.focus();
    edit.start(q(5), li, 'queue');
    assert.equal(doc.activeElement, textarea(), 'one edit at a time');
    edit.keepOnly('approved', []);
    assert.ok(edit.editing(), 'another list changed: the edit stays');
    edit.keepOnly('queue', [1, 2]);
    assert.equal(edit.editing(), null);
    assert.equal(li.querySelector('form'), null);
    assert.deepEqual(refocused, [], 'the focus is not taken when the question left by itself');
  });
});
