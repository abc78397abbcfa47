import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enhanceShare, shareData } from '../js/share-links.js';

test('share data: title and address, only where the browser can share', () => {
  const nav = { share: async () => {} };
  assert.deepEqual(shareData({ url: 'https://p.example/petitions/1', title: '  Fund libraries \n' }, nav),
    { title: 'Fund libraries', url: 'https://p.example/petitions/1' });
  assert.equal(shareData({ url: 'https://p.example/petitions/1', title: 'x' }, {}), null, 'no navigator.share');
  assert.equal(shareData({ url: 'https://p.example/petitions/1', title: 'x' }, undefined), null);
  assert.equal(shareData({ url: '', title: 'x' }, nav), null, 'nothing to share');
  assert.equal(shareData({ url: 'u', title: 'x' }, { share: nav.share, canShare: () => false }), null, 'canShare says no');
});

function fakeDoc(url) {
  const listeners = {};
  const button = { hidden: true, addEventListener: (type, fn) => { listeners[type] = fn; } };
  return {
    button, listeners,
    doc: {
      querySelector: (sel) => (sel === 'h1' ? { textContent: 'Fund libraries' } : url ? { dataset: { shareUrl: url } } : null),
      getElementById: (id) => (id === 'share-native' ? button : null),
    },
  };
}

test('the Share button appears and shares where navigator.share exists', async () => {
  const shared = [];
  const { doc, button, listeners } = fakeDoc('https://p.example/petitions/1');
  const win = { navigator: { share: async (d) => { shared.push(d); } } };
  assert.equal(enhanceShare({ doc, win }), true);
  assert.equal(button.hidden, false);
  await listeners.click();
  assert.deepEqual(shared, [{ title: 'Fund libraries', url: 'https://p.example/petitions/1' }]);
});

test('the Share button stays hidden without the API, and a cancelled share is quiet', async () => {
  const none = fakeDoc('https://p.example/petitions/1');
  assert.equal(enhanceShare({ doc: none.doc, win: { navigator: {} } }), false);
  assert.equal(none.button.hidden, true);
  const cancelled = fakeDoc('https://p.example/petitions/1');
  const win = { navigator: { share: async () => { throw new Error('AbortError'); } } };
  enhanceShare({ doc: cancelled.doc, win });
  await cancelled.listeners.click();  // does not throw
});
