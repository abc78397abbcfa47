// js/sitting-view.js: what the viewer page shows for a question, one's own question and the banner (pure view
// models), and the DOM those views build and update (against a small stand-in document).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { translator } from '../js/i18n.js';
import {
  bannerChildren, bannerView, createMyQuestionItem, createQuestionItem, mineReason, myQuestionView, questionView,
  updateMyQuestionItem, updateQuestionItem,
} from '../js/sitting-view.js';
import { strings } from './support/contexts.mjs';

const t = translator(strings('en'), { lang: 'en' });
const tFr = translator(strings('fr'), { lang: 'fr' });
const numbers = new Intl.NumberFormat('en');
const context = (overrides = {}) => ({ t, numbers, voted: new Set(), votingNow: new Set(), ended: false, ...overrides });
const question = (overrides = {}) => ({ id: 7, state: 'approved', votes: 3, text: 'Will the bus lanes open?', name: 'Ada', region: 'Leeds', ...overrides });

/** Just enough of a DOM for h() and the update functions: elements with classes, data, attributes and children. */
class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.dataset = {};
    this.attributes = new Map();
    this.className = '';
    this.textContent = '';
    this.hidden = false;
    this.parent = null;
  }

  setAttribute(name, value) { this.attributes.set(name, String(value)); }
  getAttribute(name) { return this.attributes.get(name) ?? null; }
  append(child) { child.parent = this; this.children.push(child); }
  after(node) { const siblings = this.parent.children; node.parent = this.parent; siblings.splice(siblings.indexOf(this) + 1, 0, node); }
  matches(selector) { return this.className.split(/\s+/).includes(selector.slice(1)); }
  closest(selector) { for (let e = this; e; e = e.parent) if (e.matches(selector)) return e; return null; }
  *all() { for (const child of this.children) { yield child; yield* child.all(); } }
  querySelector(selector) { for (const e of this.all()) if (e.matches(selector)) return e; return null; }
}
const doc = { createElement: (tag) => new FakeElement(tag) };

describe('view models', () => {
  test('a question: its texts, its vote button state, no vote once answered or ended', () => {
    const view = questionView(question({ edited: true, tag: 'Fares' }), context({ voted: new Set([7]) }));
    assert.equal(view.text, 'Will the bus lanes open?');
    assert.equal(view.name, 'Ada');
    assert.equal(view.votesText, '3 votes');
    assert.equal(view.stateClass, 'question__state tag tag--approved');
    assert.equal(view.pressed, true);
    assert.equal(view.busy, false);
    assert.equal(view.voteHidden, false);
    assert.equal(view.edited, true);
    assert.equal(questionView(question({ state: 'answered' }), context()).voteHidden, true);
    assert.equal(questionView(question(), context({ ended: true })).voteHidden, true);
    assert.equal(questionView(question(), context({ votingNow: new Set([7]) })).busy, true);
    assert.equal(questionView(question({ votes: 1 }), context()).votesText, '1 vote');
  });

  test('an anonymous question shows the anonymous name, never an empty one', () => {
    const view = questionView(question({ name: null }), context());
    assert.ok(view.name.length > 0);
  });

  test('my questions say why they are where they are; only a waiting one can be withdrawn', () => {
    assert.equal(mineReason(t, { state: 'submitted' }), t('waiting_explanation'));
    assert.equal(mineReason(t, { state: 'merged' }), t('merged_explanation'));
    assert.equal(mineReason(t, { state: 'rejected' }), t('rejected_no_reason'));
    assert.equal(mineReason(t, { state: 'rejected', reason: { text: 'Off topic' } }), t('rejected_because', { reason: 'Off topic' }));
    assert.equal(mineReason(t, { state: 'approved' }), '');
    assert.equal(myQuestionView(t, { id: 1, state: 'submitted', text: 'Q' }).canWithdraw, true);
    assert.equal(myQuestionView(t, { id: 1, state: 'approved', text: 'Q' }).canWithdraw, false);
    assert.equal(myQuestionView(tFr, { id: 1, state: 'submitted', text: 'Q' }).reason, tFr('waiting_explanation'));
  });

  test('the banner: nothing on screen is null', () => {
    assert.equal(bannerView(t, null), null);
    assert.deepEqual(bannerView(t, question()), { id: 7, text: 'Will the bus lanes open?', name: 'Ada', region: 'Leeds' });
  });
});

describe('DOM', () => {
  test('a created question item has its vote form only for a participant, then takes the view', () => {
    const li = createQuestionItem(doc, question(), { t, canTakePart: true, sittingId: '1', csrfToken: 'tok' });
    assert.equal(li.getAttribute('id'), 'question-7');
    const form = li.querySelector('.vote-form');
    assert.equal(form.getAttribute('action'), '/sittings/1/questions/7/vote');
    assert.equal(form.children[0].getAttribute('value'), 'tok');
    updateQuestionItem(doc, li, questionView(question(), context({ voted: new Set([7]) })), t);
    assert.equal(li.querySelector('.question__text').textContent, 'Will the bus lanes open?');
    assert.equal(li.querySelector('.question__votes').getAttribute('value'), '3');
    assert.equal(li.querySelector('.vote-button').getAttribute('aria-pressed'), 'true');
    assert.equal(li.dataset.votes, '3');
    updateQuestionItem(doc, li, questionView(question({ state: 'answered' }), context()), t);
    assert.equal(form.hidden, true);
    assert.equal(li.querySelector('.question__state').className, 'question__state tag tag--answered');

    const none = createQuestionItem(doc, question(), { t, canTakePart: false, sittingId: '1', csrfToken: '' });
    assert.equal(none.querySelector('.vote-form'), null, 'no participant, no vote button');
  });

  test('a server-rendered item without the edited mark gets one when the question is edited', () => {
    const li = new FakeElement('li');
    const meta = new FakeElement('p');
    meta.className = 'question__meta';
    const region = new FakeElement('span');
    region.className = 'question__region';
    li.append(meta);
    meta.append(region);
    updateQuestionItem(doc, li, questionView(question({ edited: true }), context()), t);
    assert.equal(li.querySelector('.question__edited').textContent, t('edited_by_moderators'));
  });

  test('my question: the withdraw control (a form when the server rendered it) hides once it is not waiting', () => {
    const li = createMyQuestionItem(doc, { id: 3 }, t);
    updateMyQuestionItem(li, myQuestionView(t, { id: 3, state: 'submitted', text: 'Mine' }));
    assert.equal(li.querySelector('.withdraw-button').hidden, false);
    assert.equal(li.querySelector('.my-question__reason').textContent, t('waiting_explanation'));
    updateMyQuestionItem(li, myQuestionView(t, { id: 3, state: 'approved', text: 'Mine' }));
    assert.equal(li.querySelector('.withdraw-button').hidden, true);
    assert.equal(li.dataset.state, 'approved');

    const server = new FakeElement('li');
    const form = new FakeElement('form');
    form.className = 'withdraw-form';
    const button = new FakeElement('button');
    button.className = 'withdraw-button';
    server.append(form);
    form.append(button);
    updateMyQuestionItem(server, myQuestionView(t, { id: 3, state: 'rejected', text: 'Mine' }));
    assert.equal(form.hidden, true, 'the whole no-JS form goes');
  });

  test('the banner says when nothing is on screen', () => {
    const [empty] = bannerChildren(doc, null, t);
    assert.equal(empty.textContent, t('on_screen_none'));
    const [text, who] = bannerChildren(doc, bannerView(t, question()), t);
    assert.equal(text.textContent, 'Will the bus lanes open?');
    assert.equal(who.children[0].textContent, 'Ada');
  });
});
