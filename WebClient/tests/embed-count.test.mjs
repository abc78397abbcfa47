import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCount, countText } from '../js/embed-count.js';

test('the embed shows counts as the server writes them', () => {
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
