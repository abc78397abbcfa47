// js/petition-text.js: what the petition page's script says, in the page's language, with English words when the
// page's strings lack a key (never a bare key).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConnectionState } from '../js/constants.js';
import { translator } from '../js/i18n.js';
import {
  countPhrase, countUnit, describeError, signedMessage, stateNotice, statusText, thresholdStatus,
} from '../js/petition-text.js';
import { strings } from './support/contexts.mjs';

const fr = translator(strings('fr'), { lang: 'fr' });
const en = translator(strings('en'), { lang: 'en' });
const format = (n) => new Intl.NumberFormat('fr').format(n);

test('in French: the live status, the count, the unit and the thresholds', () => {
  assert.equal(statusText(ConnectionState.LIVE, fr), strings('fr').petition_status_live);
  assert.equal(countPhrase(1, format, fr), '1 signature');
  assert.equal(countPhrase(1234, format, fr), `${format(1234)} signatures`);
  assert.equal(countUnit(2, fr), 'signatures');
  assert.equal(thresholdStatus(true, 100, fr), 'Atteint');
  assert.equal(thresholdStatus(false, 40, fr), '40 % du chemin parcouru');
});

test('in French: the notices when signing stops, with the rejection details quoted', () => {
  const closed = stateNotice('closed', null, fr);
  assert.deepEqual(closed, { state: 'closed', label: 'Clôturée', heading: 'Cette pétition est clôturée', text: 'Elle n’accepte plus de signatures.' });
  const rejected = stateNotice('rejected', { details: ' Hors sujet. ' }, fr);
  assert.equal(rejected.label, 'Rejetée');
  assert.equal(rejected.text, 'Elle n’accepte pas de signatures. Hors sujet.');
  assert.equal(stateNotice('open', null, fr), null);
});

test('in French: the messages after signing and the errors without a server message', () => {
  assert.equal(signedMessage('counted', { name: 'Marie' }, fr).heading, strings('fr').signed_title);
  assert.match(signedMessage('counted', { name: 'Marie' }, fr).text, /^Merci, Marie\. Votre signature a été ajoutée\./);
  assert.match(signedMessage('pending_confirmation', { email: 'm@example.org' }, fr).text, /Nous avons envoyé un lien à m@example\.org\./);
  assert.equal(signedMessage('held', {}, fr).heading, 'Signature reçue');
  assert.equal(describeError(409, { error: { code: 'duplicate_signature' } }, fr).message, strings('fr').sign_error_duplicate);
  assert.equal(describeError(500, null, fr).message, strings('fr').sign_error_generic);
  assert.equal(describeError(422, { error: { code: 'invalid_input', message: 'Du serveur' } }, fr).message, 'Du serveur', "the server's words win");
});

test('English strings and no strings at all say the same English words', () => {
  const none = translator({}, { lang: 'en', onMissing: () => {} });
  for (const t of [en, none, undefined]) {
    assert.equal(stateNotice('closed', null, t).heading, 'This petition is closed');
    assert.equal(countPhrase(2, String, t), '2 signatures');
    assert.equal(countUnit(1, t), 'signature');
    assert.equal(thresholdStatus(false, 7, t), '7% of the way there');
    assert.match(signedMessage('held', { name: 'Ada' }, t).text, /^Thank you, Ada\. Your signature will be checked/);
  }
  assert.equal(statusText(ConnectionState.LIVE, undefined), 'Live');
  assert.equal(statusText('nonsense', en), '');
});

test('every key the texts use is in every language file', () => {
  const keys = ['petition_notice_closed_heading', 'petition_notice_rejected_details', 'petition_count_unit_one', 'sign_thanks_name',
    'sign_pending_after', 'sign_error_offline', 'sign_not_added_heading'];
  for (const lang of ['en', 'fr']) for (const key of keys) assert.ok(strings(lang)[key], `${lang}: ${key}`);
});
