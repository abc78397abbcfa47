// api.js apiErrorText and the codes the viewer page says in its own words (ask-form.js SITTING_ERROR_KEYS), and the
// petition page's describeError: a refusal's words in the page's language, from its stable code.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ApiError, apiErrorText as rawErrorText } from '../js/api.js';
import { SITTING_ERROR_KEYS } from '../js/ask-form.js';
import { describeError } from '../js/petition-text.js';
import { translator } from '../js/i18n.js';
import { strings } from './support/contexts.mjs';

const apiErrorText = (t, error, fallback, options = {}) => rawErrorText(t, error, fallback, { codes: SITTING_ERROR_KEYS, ...options });

const en = translator(strings('en'), { lang: 'en' });
const fr = translator(strings('fr'), { lang: 'fr' });

test('every code the pages say in their own words has a string in every language', () => {
  for (const key of Object.values(SITTING_ERROR_KEYS)) {
    assert.ok(en.has(key) && fr.has(key), key);
  }
});

test('a known code is said in the page language, whatever the server wrote', () => {
  const refusal = new ApiError({ status: 403, code: 'csrf_failed', message: 'This form has expired or did not come from this site.' });
  assert.equal(apiErrorText(fr, refusal, 'ask_failed'), strings('fr').error_csrf_failed);
  assert.equal(apiErrorText(en, refusal, 'ask_failed'), strings('en').error_csrf_failed);
  assert.equal(apiErrorText(fr, { status: 409, code: 'sitting_not_live', message: 'This sitting has ended' }, 'ask_failed'), strings('fr').ask_error_ended);
});

test('rate_limited says how long to wait from Retry-After, else keeps the server message', () => {
  const withWait = new ApiError({ status: 429, code: 'rate_limited', message: 'You can ask 3 questions a minute. Try again in 20 seconds.', retryAfter: 20 });
  assert.equal(apiErrorText(fr, withWait, 'ask_failed'), 'Trop de demandes à la fois. Réessayez dans 20 secondes.');
  const without = new ApiError({ status: 429, code: 'rate_limited', message: 'Attendez un peu.' });
  assert.equal(apiErrorText(fr, without, 'ask_failed'), 'Attendez un peu.');
});

test('an unknown code keeps the server message (already in the request language), else the fallback', () => {
  assert.equal(apiErrorText(fr, { status: 422, code: 'invalid_input', message: 'La question ne peut pas être envoyée telle quelle.' }, 'ask_failed'),
    'La question ne peut pas être envoyée telle quelle.');
  assert.equal(apiErrorText(fr, { status: 500, code: 'http_500', message: '' }, 'ask_failed'), strings('fr').ask_failed);
  assert.equal(apiErrorText(undefined, { status: 500, code: 'http_500', message: '' }, 'ask_failed'), '', 'nothing to say without strings');
});

test('no answer at all: the offline words', () => {
  assert.equal(apiErrorText(fr, new ApiError({ status: 0, code: 'network_error', message: 'Failed to fetch' }), 'vote_failed'), strings('fr').offline_not_sent);
  assert.equal(apiErrorText(fr, { status: 0, code: 'network_error' }, 'vote_failed', { offlineKey: 'sign_error_offline' }), strings('fr').sign_error_offline);
});

test('codes a page does not list keep the server message (each page ships only its own strings)', () => {
  const refusal = { status: 409, code: 'duplicate_signature', message: 'Du serveur' };
  assert.equal(apiErrorText(fr, refusal, 'ask_failed'), 'Du serveur');
  assert.equal(rawErrorText(fr, { status: 403, code: 'csrf_failed', message: 'Du serveur' }, 'ask_failed'), 'Du serveur', 'no codes given');
});

test('the petition page says its known codes in its own words, and keeps the server words for invalid_input', () => {
  const frPetition = translator(strings('fr'), { lang: 'fr' });
  assert.equal(describeError(403, { error: { code: 'csrf_failed', message: 'This form has expired' } }, frPetition).message, strings('fr').error_csrf_failed);
  assert.equal(describeError(409, { error: { code: 'household_limit', message: 'Two people have already signed' } }, frPetition).message, strings('fr').sign_error_household);
  assert.equal(describeError(409, { error: { code: 'petition_not_open', message: 'This petition is not open' } }, frPetition).message, strings('fr').petition_not_accepting);
  assert.equal(describeError(422, { error: { code: 'invalid_input', message: 'Certains champs ne sont pas valides.' } }, frPetition).message, 'Certains champs ne sont pas valides.');
  assert.equal(describeError(429, { error: { code: 'rate_limited', message: 'Réessayez plus tard.' } }, frPetition).message, 'Réessayez plus tard.');
  assert.equal(describeError(409, { error: { code: 'duplicate_signature', message: 'Server words' } }).message, 'Server words', 'without strings: the server words');
});
