// js/api.js (the JSON API client of the hearing pages) and the chair's stream clock.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ApiError, api, apiClient, parseErrorBody, parseRetryAfter, requestInit } from '../js/api.js';
import { streamClockSeconds } from '../js/chair-page.js';
import { REPO_ROOT } from './support/fakes.mjs';

/** A fetch that records its calls and answers with `status` and `body` (an object is sent as JSON). */
function fakeFetch(status, body, headers = {}) {
  const calls = [];
  const impl = async (path, init) => {
    calls.push({ path, init });
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    return { status, ok: status >= 200 && status < 300, text: async () => text, headers: { get: (name) => headers[name] ?? null } };
  };
  impl.calls = calls;
  return impl;
}

describe('requests', () => {
  test('every request: same-origin credentials and Content-Type: application/json', () => {
    for (const method of ['GET', 'POST', 'DELETE', 'patch']) {
      const init = requestInit(method);
      assert.equal(init.credentials, 'same-origin');
      assert.equal(init.headers['Content-Type'], 'application/json');
      assert.equal(init.headers.Accept, 'application/json');
    }
  });

  test('state-changing requests carry a JSON body, {} when there is nothing to say; GET has none', () => {
    assert.equal(requestInit('POST').body, '{}');
    assert.equal(requestInit('DELETE').body, '{}');
    assert.equal(requestInit('POST', { action: 'approve' }).body, '{"action":"approve"}');
    assert.equal(requestInit('POST', { question: null }).body, '{"question":null}');
    assert.equal(requestInit('GET').body, undefined);
    assert.equal(requestInit('post').method, 'POST');
  });

  test('a success resolves with the parsed answer', async () => {
    const fetchImpl = fakeFetch(200, { id: 12, votes: 5, voted: true });
    assert.deepEqual(await api('/api/v1/questions/12/vote', { method: 'POST', body: {}, fetchImpl }), { id: 12, votes: 5, voted: true });
    assert.equal(fetchImpl.calls[0].path, '/api/v1/questions/12/vote');
    assert.equal(fetchImpl.calls[0].init.method, 'POST');
    assert.equal(await api('/x', { fetchImpl: fakeFetch(204, undefined) }), null);
  });

  test('a refusal throws an ApiError with status, code, message, fields and Retry-After', async () => {
    const body = { error: { code: 'invalid_input', message: 'Check your question', fields: { text: 'Too long', name: '' } } };
    await assert.rejects(api('/q', { method: 'POST', fetchImpl: fakeFetch(422, body) }), (error) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 422);
      assert.equal(error.code, 'invalid_input');
      assert.equal(error.message, 'Check your question');
      assert.deepEqual(error.fields, { text: 'Too long' });
      return true;
    });
    await assert.rejects(api('/q', { method: 'POST', fetchImpl: fakeFetch(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': '30' }) }), (error) => {
      assert.equal(error.code, 'rate_limited');
      assert.equal(error.retryAfter, 30);
      return true;
    });
    await assert.rejects(api('/q', { fetchImpl: fakeFetch(502, '<html>Bad gateway</html>'), fallbackMessage: 'Try again' }), (error) => {
      assert.equal(error.code, 'http_502');
      assert.equal(error.message, 'Try again');
      return true;
    });
  });

  test('no answer at all: status 0, network_error', async () => {
    const failing = async () => { throw new TypeError('Failed to fetch'); };
    await assert.rejects(api('/q', { fetchImpl: failing }), (error) => error instanceof ApiError && error.status === 0 && error.code === 'network_error');
  });

  test('apiClient binds a fetch', async () => {
    const fetchImpl = fakeFetch(200, { ok: 1 });
    const call = apiClient(fetchImpl);
    assert.deepEqual(await call('/a', { method: 'POST', body: { text: 'x' } }), { ok: 1 });
    assert.equal(fetchImpl.calls[0].init.body, '{"text":"x"}');
  });

  test('the error examples of Protocol/examples/http', () => {
    const example = (name) => JSON.parse(readFileSync(join(REPO_ROOT, 'Protocol', 'examples', 'http', `${name}.json`), 'utf8'));
    const invalid = parseErrorBody(422, example('error-invalid-input'));
    assert.equal(invalid.code, 'invalid_input');
    assert.deepEqual(Object.keys(invalid.fields).sort(), ['name', 'text']);
    assert.equal(parseErrorBody(409, example('error-claimed-by-other')).code, 'claimed_by_other');
    assert.match(parseErrorBody(409, example('error-question-state-conflict')).message, /rejected/);
  });

  test('parseErrorBody and parseRetryAfter', () => {
    assert.deepEqual(parseErrorBody(409, { error: { code: 'claimed_by_other', message: 'Sam has it' } }), { code: 'claimed_by_other', message: 'Sam has it', fields: {} });
    assert.deepEqual(parseErrorBody(500, null), { code: 'http_500', message: '', fields: {} });
    assert.equal(parseRetryAfter('12'), 12);
    assert.equal(parseRetryAfter(new Date(Date.parse('2026-01-01T00:00:10Z')).toUTCString(), Date.parse('2026-01-01T00:00:00Z')), 10);
    assert.equal(parseRetryAfter(null), null);
    assert.equal(parseRetryAfter('soon'), null);
  });
});

describe('chair: stream clock', () => {
  test('from the stream start to now, or to the end', () => {
    const sitting = { stream_started_at: '2026-11-29T14:02:10.000Z', ended_at: null };
    assert.equal(streamClockSeconds(sitting, Date.parse('2026-11-29T14:03:15.000Z')), 65);
    assert.equal(streamClockSeconds({ ...sitting, ended_at: '2026-11-29T15:02:10.000Z' }, Date.parse('2026-11-30T00:00:00.000Z')), 3600);
    assert.equal(streamClockSeconds({ stream_started_at: null }), null);
  });
});
