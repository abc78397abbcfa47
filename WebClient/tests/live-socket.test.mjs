// LiveSocket against a fake WebSocket and a fake clock, with the protocol examples of Protocol/examples/.
// Run: node --test WebClient/tests/

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';

import { LiveSocket } from '../js/live-socket.js';
import { CloseCode, ConnectionState, Defaults } from '../js/constants.js';
import { FakeClock, FakeWebSocket, SCHEMAS_DIR, allExamples, clientExample, serverExample } from './support/fakes.mjs';
import { validate } from './support/json-schema.mjs';

const clientSchemas = Object.fromEntries(['subscribe', 'unsubscribe', 'ping'].map((type) => [
  type, JSON.parse(readFileSync(join(SCHEMAS_DIR, 'client', `${type}.schema.json`), 'utf8')),
]));

const welcome = serverExample('welcome');
const snapshot = serverExample('snapshot-petition');
const countEvent = serverExample('event-count');         // offset 42
const thresholdEvent = serverExample('event-threshold'); // offset 43
const HEARTBEAT = welcome.heartbeat_ms;
const with_ = (message, changes) => ({ ...structuredClone(message), ...changes });

/** Every message a socket received from the client must be valid per Protocol/schemas/client/. */
function assertValidClientMessages(ws) {
  for (const message of ws.messages) {
    const schema = clientSchemas[message.type];
    assert.ok(schema, `client sent an unknown type: ${JSON.stringify(message)}`);
    assert.deepEqual(validate(schema, message), [], `invalid ${message.type}: ${JSON.stringify(message)}`);
    assert.equal(Object.keys(message)[0], 'type', '`type` comes first');
  }
}

function setup(options = {}) {
  FakeWebSocket.reset();
  const clock = new FakeClock();
  const states = [];
  const errors = [];
  const reported = [];
  const live = new LiveSocket({
    url: 'ws://hemicycle.test/live',
    WebSocketImpl: FakeWebSocket,
    random: () => 0.5,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    onStateChange: (state, detail) => states.push({ state, ...detail }),
    onError: (error) => errors.push(error),
    reportError: (error) => reported.push(error),
    ...options,
  });
  return { live, clock, states, errors, reported };
}

/** A listener recording what it receives. */
function recorder() {
  const calls = [];
  return {
    calls,
    handlers: {
      onSnapshot: (data, meta) => calls.push({ kind: 'snapshot', data, meta }),
      onEvent: (name, data, meta) => calls.push({ kind: 'event', name, data, meta }),
      onSubscribed: (info) => calls.push({ kind: 'subscribed', info }),
      onError: (error) => calls.push({ kind: 'error', error }),
    },
  };
}

/** Opens the newest fake socket and sends the welcome. */
function accept(ws = FakeWebSocket.last, message = welcome) {
  ws.serverOpen();
  ws.serverSend(message);
  return ws;
}

/** The reconnect timer LiveSocket is waiting on (the only pending timer while disconnected). */
function reconnectDelay(clock) {
  const pending = clock.pending();
  assert.equal(pending.length, 1, `expected only the reconnect timer, got ${JSON.stringify(pending)}`);
  return pending[0].delay;
}

describe('LiveSocket: connecting and subscribing', () => {
  beforeEach(() => FakeWebSocket.reset());

  test('the first subscribe connects; one subscribe for all topics is sent after the welcome', () => {
    const { live, states } = setup();
    assert.equal(live.state, ConnectionState.OFFLINE);
    live.subscribe('petition:1', {});
    live.subscribe('sitting:3', {});
    assert.equal(FakeWebSocket.instances.length, 1, 'one socket');
    const ws = FakeWebSocket.last;
    assert.equal(ws.url, 'ws://hemicycle.test/live');
    assert.equal(live.state, ConnectionState.CONNECTING);

    ws.serverOpen();
    assert.deepEqual(ws.messages, [], 'nothing sent before the welcome (PROTOCOL.md 4)');
    ws.serverSend(welcome);
    assert.equal(live.state, ConnectionState.LIVE);
    assert.deepEqual(ws.messages, [clientExample('subscribe')]);
    assert.equal(live.session, welcome.session);
    assert.equal(live.heartbeatMs, welcome.heartbeat_ms);
    assert.deepEqual(live.limits, welcome.limits);
    assert.deepEqual(states.map((s) => s.state), ['connecting', 'live']);
    assertValidClientMessages(ws);
  });

  test('a topic added while live is subscribed at once; the unsubscribe function unsubscribes', () => {
    const { live } = setup();
    live.subscribe('petition:1', {});
    const ws = accept();
    const stop = live.subscribe('sitting:3', {});
    assert.deepEqual(ws.messages.at(-1), { type: 'subscribe', topics: ['sitting:3'], ref: 'sub-2' });
    stop();
    stop(); // idempotent
    assert.deepEqual(ws.messages.at(-1), { type: 'unsubscribe', topics: ['sitting:3'], ref: 'unsub-3' });
    assert.equal(ws.messages.length, 3);
    assert.deepEqual(live.topics, ['petition:1']);
    assertValidClientMessages(ws);
  });

  test('a second listener on a topic already held gets a fresh snapshot (unsubscribe + subscribe without resume)', () => {
    const { live } = setup();
    const a = recorder();
    const b = recorder();
    const stopA = live.subscribe('petition:1', a.handlers);
    const ws = accept();
    ws.serverSend(snapshot);
    live.subscribe('petition:1', b.handlers);
    assert.deepEqual(ws.messages.slice(1), [
      { type: 'unsubscribe', topics: ['petition:1'], ref: 'unsub-2' },
      { type: 'subscribe', topics: ['petition:1'], ref: 'sub-3' },
    ]);
    ws.serverSend(snapshot);
    assert.equal(a.calls.filter((c) => c.kind === 'snapshot').length, 2);
    assert.equal(b.calls.filter((c) => c.kind === 'snapshot').length, 1);
    stopA();
    assert.equal(ws.messages.length, 3, 'the topic still has a listener: no unsubscribe');
    assertValidClientMessages(ws);
  });

  test('subscribes are split to respect limits.max_topics', () => {
    const { live } = setup();
    for (let i = 1; i <= 5; i += 1) live.subscribe(`petition:${i}`, {});
    const ws = accept(FakeWebSocket.last, with_(welcome, { limits: { max_message_bytes: 16384, max_topics: 2 } }));
    assert.deepEqual(ws.messages.map((m) => m.topics), [['petition:1', 'petition:2'], ['petition:3', 'petition:4'], ['petition:5']]);
    assertValidClientMessages(ws);
  });

  test('subscribes are split to stay under limits.max_message_bytes', () => {
    const { live } = setup();
    const topics = Array.from({ length: 40 }, (_, i) => `petition:${1000 + i}`);
    for (const topic of topics) live.subscribe(topic, {});
    const ws = accept(FakeWebSocket.last, with_(welcome, { limits: { max_message_bytes: 200, max_topics: 100 } }));
    assert.ok(ws.messages.length > 1);
    for (const raw of ws.sent) assert.ok(Buffer.byteLength(raw) <= 200, `${Buffer.byteLength(raw)} bytes`);
    assert.deepEqual(ws.messages.flatMap((m) => m.topics), topics);
  });

  test('a welcome with another protocol version: offline, reported, no reconnect', () => {
    const { live, errors, clock } = setup();
    live.subscribe('petition:1', {});
    const ws = accept(FakeWebSocket.last, with_(welcome, { protocol: 2 }));
    assert.equal(live.state, ConnectionState.OFFLINE);
    assert.equal(errors[0].code, 'protocol_mismatch');
    assert.deepEqual(ws.closedWith?.code, 1000);
    assert.deepEqual(ws.messages, []);
    assert.deepEqual(clock.pending(), []);
  });
});

describe('LiveSocket: snapshots and events', () => {
  test('applies the snapshot, then events in offset order; ignores duplicate and older offsets', () => {
    const { live } = setup();
    const r = recorder();
    live.subscribe('petition:1', r.handlers);
    const ws = accept();
    ws.serverSend(snapshot);
    ws.serverSend(serverExample('subscribed'));
    ws.serverSend(countEvent);
    ws.serverSend(countEvent); // duplicate
    ws.serverSend(with_(countEvent, { offset: 41, data: { signature_count: 9000 } })); // older
    ws.serverSend(thresholdEvent);
    ws.serverSend(with_(countEvent, { offset: 43, data: { signature_count: 1 } })); // same offset as the threshold

    const meta = { topic: 'petition:1', epoch: snapshot.epoch };
    assert.deepEqual(r.calls, [
      { kind: 'snapshot', data: snapshot.data, meta: { ...meta, offset: 41 } },
      { kind: 'subscribed', info: serverExample('subscribed').topics[0] },
      { kind: 'event', name: 'count', data: countEvent.data, meta: { ...meta, offset: 42 } },
      { kind: 'event', name: 'threshold', data: thresholdEvent.data, meta: { ...meta, offset: 43 } },
    ]);
    assert.deepEqual(live.position('petition:1'), { epoch: snapshot.epoch, offset: 43 });
  });

  test('gaps in offsets are applied (conflation for slow readers), not treated as errors', () => {
    const { live } = setup();
    const r = recorder();
    live.subscribe('petition:1', r.handlers);
    const ws = accept();
    ws.serverSend(snapshot);
    ws.serverSend(with_(countEvent, { offset: 44, data: { signature_count: 10012 } }));
    assert.equal(r.calls.at(-1).meta.offset, 44);
    assert.equal(ws.messages.length, 1, 'no resubscribe');
  });

  test('an event before any snapshot, or for a topic not subscribed, is ignored', () => {
    const { live, reported } = setup();
    const r = recorder();
    live.subscribe('petition:1', r.handlers);
    const ws = accept();
    ws.serverSend(countEvent);
    ws.serverSend(serverExample('event-viewers')); // sitting:3, not subscribed
    ws.serverSend(serverExample('snapshot-sitting'));
    assert.deepEqual(r.calls, []);
    assert.deepEqual(reported, []);
  });

  test('every snapshot is applied, even with a lower offset (a new epoch starts low)', () => {
    const { live } = setup();
    const r = recorder();
    live.subscribe('petition:1', r.handlers);
    const ws = accept();
    ws.serverSend(snapshot);
    ws.serverSend(countEvent);
    ws.serverSend(with_(snapshot, { epoch: 'b41d07e5', offset: 0 }));
    assert.deepEqual(live.position('petition:1'), { epoch: 'b41d07e5', offset: 0 });
    ws.serverSend(with_(countEvent, { epoch: 'b41d07e5', offset: 1 }));
    assert.deepEqual(r.calls.map((c) => [c.kind, c.meta.epoch, c.meta.offset]), [
      ['snapshot', 'e7f3a9c2', 41], ['event', 'e7f3a9c2', 42], ['snapshot', 'b41d07e5', 0], ['event', 'b41d07e5', 1],
    ]);
  });

  test('an event of another epoch is ignored and triggers a resubscribe without resume', () => {
    const { live } = setup();
    const r = recorder();
    live.subscribe('petition:1', r.handlers);
    const ws = accept();
    ws.serverSend(snapshot);
    ws.serverSend(with_(countEvent, { epoch: 'other' }));
    ws.serverSend(with_(countEvent, { epoch: 'other', offset: 43 })); // only one resubscribe
    assert.equal(r.calls.length, 1);
    assert.equal(live.position('petition:1'), null);
    assert.deepEqual(ws.messages.slice(1), [
      { type: 'unsubscribe', topics: ['petition:1'], ref: 'unsub-2' },
      { type: 'subscribe', topics: ['petition:1'], ref: 'sub-3' },
    ]);
    ws.serverSend(with_(snapshot, { epoch: 'other', offset: 43 }));
    ws.serverSend(with_(countEvent, { epoch: 'other', offset: 44 }));
    assert.deepEqual(r.calls.map((c) => c.kind), ['snapshot', 'snapshot', 'event']);
    assertValidClientMessages(ws);
  });

  test('never throws on unexpected input; every server example is handled', () => {
    const { live, reported, errors } = setup();
    live.subscribe('petition:1', recorder().handlers);
    live.subscribe('petition:2', recorder().handlers);
    live.subscribe('sitting:3', recorder().handlers);
    const ws = accept();
    const junk = [
      'not json', '', '[]', 'null', '42', '"text"', '{}', '{"type":42}', '{"type":"surprise","x":1}',
      '{"type":"snapshot"}', '{"type":"snapshot","topic":"petition:1","epoch":"e","offset":-1,"data":{}}',
      '{"type":"snapshot","topic":"petition:1","epoch":"e","offset":1,"data":[]}',
      '{"type":"event","topic":"petition:1","epoch":"e7f3a9c2","offset":"43","event":"count","data":{}}',
      '{"type":"event","topic":"petition:1","epoch":"e7f3a9c2","offset":1.5,"event":"count","data":{}}',
      '{"type":"subscribed","topics":"petition:1"}', '{"type":"subscribed","topics":[null,1,{"topic":5}]}',
      '{"type":"error"}', '{"type":"error","ref":{},"code":7}', '{"type":"welcome","heartbeat_ms":"soon"}',
      '{"type":"pong","ref":"nobody"}', '{"type":"unsubscribed"}',
    ];
    assert.doesNotThrow(() => {
      for (const text of junk) ws.serverSendRaw(text);
      ws.serverSendRaw(new ArrayBuffer(8));
      ws.serverSendRaw(undefined);
      for (const { message } of allExamples('server')) ws.serverSend(message);
    });
    assert.deepEqual(reported, []);
    assert.equal(live.state, ConnectionState.LIVE);
    assert.ok(errors.length >= 4, 'error frames are passed to onError');
  });

  test('a listener that throws is reported and does not stop the others', () => {
    const { live, reported } = setup();
    const r = recorder();
    live.subscribe('petition:1', { onSnapshot: () => { throw new Error('boom'); } });
    live.subscribe('petition:1', r.handlers);
    const ws = accept();
    ws.serverSend(snapshot);
    assert.equal(reported.length, 1);
    assert.equal(reported[0].message, 'boom');
    assert.equal(r.calls.length, 1);
  });
});

describe('LiveSocket: errors from the server', () => {
  test('a refused multi-topic subscribe is retried topic by topic; the bad topic is reported and dropped', () => {
    const { live, errors } = setup();
    const good = recorder();
    const bad = recorder();
    live.subscribe('petition:1', good.handlers);
    live.subscribe('petition:999999', bad.handlers);
    const ws = accept();
    assert.deepEqual(ws.messages[0].topics, ['petition:1', 'petition:999999']);
    const refusal = serverExample('error-unknown-topic');
    ws.serverSend(with_(refusal, { ref: 'sub-1' }));
    assert.deepEqual(ws.messages.slice(1), [
      { type: 'subscribe', topics: ['petition:1'], ref: 'sub-2' },
      { type: 'subscribe', topics: ['petition:999999'], ref: 'sub-3' },
    ]);
    ws.serverSend(with_(refusal, { ref: 'sub-3' }));
    assert.deepEqual(bad.calls, [{ kind: 'error', error: { code: 'unknown_topic', message: refusal.message, ref: 'sub-3', topic: 'petition:999999' } }]);
    assert.deepEqual(live.topics, ['petition:1']);
    assert.equal(errors.length, 2);

    ws.serverClose(CloseCode.GOING_AWAY);
    live.wake();
    const next = accept();
    assert.deepEqual(next.messages[0].topics, ['petition:1'], 'the refused topic is not asked for again');
    assertValidClientMessages(ws);
  });

  test('a forbidden single topic is reported to its listener', () => {
    const { live } = setup();
    const r = recorder();
    live.subscribe('sitting:3:moderation', r.handlers);
    const ws = accept();
    assert.deepEqual(ws.messages[0], with_(clientExample('subscribe-forbidden'), { ref: 'sub-1' }));
    ws.serverSend(with_(serverExample('error-forbidden-topic'), { ref: 'sub-1' }));
    assert.equal(r.calls[0].error.code, 'forbidden_topic');
    assert.deepEqual(live.topics, []);
  });

  test('access_revoked (unprompted, ref null) drops the listed staff topics, tells their listeners, and keeps the rest', () => {
    const { live, errors } = setup();
    const staff = recorder();
    const viewer = recorder();
    live.subscribe('sitting:3:moderation', staff.handlers);
    live.subscribe('sitting:3', viewer.handlers);
    const ws = accept();
    const revoked = serverExample('error-access-revoked');
    assert.equal(revoked.ref, null);
    ws.serverSend(revoked);
    assert.equal(errors[0].code, 'access_revoked');
    assert.deepEqual(staff.calls.map((c) => [c.kind, c.error.code, c.error.topic]), [['error', 'access_revoked', 'sitting:3:moderation']]);
    assert.deepEqual(viewer.calls, [], 'the public topic is untouched');
    assert.deepEqual(live.topics, ['sitting:3']);
    assert.equal(ws.messages.length, 1, 'nothing is asked again on this connection');
    ws.serverClose(CloseCode.GOING_AWAY);
    live.wake();
    const next = accept();
    assert.deepEqual(next.messages[0].topics, ['sitting:3'], 'nor after a reconnect');
    assertValidClientMessages(ws);
  });

  test('an error for a ref it does not know changes nothing', () => {
    const { live, errors } = setup();
    live.subscribe('petition:1', {});
    const ws = accept();
    ws.serverSend(serverExample('error-malformed-json'));
    assert.equal(errors[0].code, 'malformed_json');
    assert.deepEqual(live.topics, ['petition:1']);
    assert.equal(live.state, ConnectionState.LIVE);
  });
});

describe('LiveSocket: reconnecting', () => {
  test('after close 1001 it reconnects (spread over 0-5 s) and resumes with the last epoch and offset', () => {
    const { live, clock, states } = setup();
    const r = recorder();
    live.subscribe('petition:1', r.handlers);
    const first = accept();
    first.serverSend(snapshot);
    first.serverClose(CloseCode.GOING_AWAY, 'server restarting, reconnect and resume');
    assert.equal(live.state, ConnectionState.RECONNECTING);
    assert.equal(reconnectDelay(clock), Math.floor(0.5 * Defaults.GOING_AWAY_SPREAD_MS));
    assert.equal(states.at(-1).closeCode, 1001);

    clock.advance(reconnectDelay(clock) - 1);
    assert.equal(FakeWebSocket.instances.length, 1, 'not before the delay');
    clock.advance(1);
    assert.equal(FakeWebSocket.instances.length, 2);
    assert.equal(live.state, ConnectionState.RECONNECTING);
    const second = accept();
    assert.equal(live.state, ConnectionState.LIVE);
    assert.deepEqual(second.messages, [clientExample('subscribe-resume')]);

    // The replay: 42 and 43 are new; a repeated 41-42 would be duplicates.
    second.serverSend(countEvent);
    second.serverSend(countEvent);
    second.serverSend(thresholdEvent);
    second.serverSend(serverExample('subscribed-recovered'));
    assert.deepEqual(r.calls.filter((c) => c.kind === 'event').map((c) => c.meta.offset), [42, 43]);
    assert.deepEqual(live.position('petition:1'), { epoch: 'e7f3a9c2', offset: 43 });
    assertValidClientMessages(second);
  });

  test('after 4002 (slow consumer) and 4003 (idle timeout) it reconnects and resumes', () => {
    for (const code of [CloseCode.SLOW_CONSUMER, CloseCode.IDLE_TIMEOUT, CloseCode.ABNORMAL, CloseCode.PROTOCOL_ERROR, 4999]) {
      const { live, clock } = setup();
      live.subscribe('petition:1', {});
      const first = accept();
      first.serverSend(snapshot);
      first.serverSend(countEvent);
      first.serverClose(code);
      assert.equal(live.state, ConnectionState.RECONNECTING, `after ${code}`);
      assert.equal(reconnectDelay(clock), 500, `first backoff delay after ${code}: random 0.5 x 1000 ms`);
      clock.advance(500);
      const second = accept();
      assert.deepEqual(second.messages, [{
        type: 'subscribe', topics: ['petition:1'], ref: 'sub-2',
        resume: { 'petition:1': { epoch: 'e7f3a9c2', offset: 42 } },
      }], `resume after ${code}`);
    }
  });

  test('backs off exponentially with full jitter, capped at 30 s; offline after 3 failures; live again resets', () => {
    const draws = [];
    let r = 0.999;
    const { live, clock, states } = setup({ random: () => { draws.push(r); return r; } });
    live.subscribe('petition:1', {});
    const delays = [];
    for (let i = 0; i < 8; i += 1) {
      FakeWebSocket.last.serverClose(CloseCode.ABNORMAL); // the connection fails before any welcome
      delays.push(reconnectDelay(clock));
      clock.advance(delays.at(-1));
    }
    assert.deepEqual(delays, [999, 1998, 3996, 7992, 15984, 29970, 29970, 29970]);
    assert.equal(draws.length, 8, 'one random draw per attempt');
    assert.deepEqual(states.slice(0, 4).map((s) => s.state), ['connecting', 'reconnecting', 'offline']);
    assert.equal(live.state, ConnectionState.OFFLINE);

    // Full jitter: with random 0 the delay is 0 (not a fixed minimum).
    r = 0;
    FakeWebSocket.last.serverClose(CloseCode.ABNORMAL);
    assert.equal(reconnectDelay(clock), 0);
    clock.advance(0);
    accept();
    assert.equal(live.state, ConnectionState.LIVE);
  });

  test('the backoff exponent goes back to 0 once a connection stays up for 30 s, not before', () => {
    const { live, clock } = setup({ random: () => 0.999 });
    live.subscribe('petition:1', {});
    FakeWebSocket.last.serverClose(CloseCode.ABNORMAL);
    clock.advance(reconnectDelay(clock));
    FakeWebSocket.last.serverClose(CloseCode.ABNORMAL);
    assert.equal(reconnectDelay(clock), 1998);
    clock.advance(1998);

    accept();
    clock.advance(10_000); // up, but not for long
    FakeWebSocket.last.serverClose(CloseCode.SLOW_CONSUMER);
    assert.equal(reconnectDelay(clock), 3996, 'a connection that flaps keeps backing off');
    clock.advance(3996);

    const ws = accept();
    clock.advance(Defaults.STABLE_AFTER_MS);
    ws.serverSend({ type: 'pong' });
    ws.serverClose(CloseCode.IDLE_TIMEOUT);
    assert.equal(reconnectDelay(clock), 999, 'after 30 s up, the first attempt again');
  });

  test('after 4001 (abuse) it waits at least the abuse window and reports offline', () => {
    const { live, clock } = setup({ random: () => 0 });
    live.subscribe('petition:1', {});
    accept().serverClose(CloseCode.ABUSE);
    assert.equal(live.state, ConnectionState.OFFLINE);
    assert.ok(reconnectDelay(clock) >= Defaults.ABUSE_DELAY_MS);
    clock.advance(reconnectDelay(clock));
    assert.equal(FakeWebSocket.instances.length, 2);
    accept();
    assert.equal(live.state, ConnectionState.LIVE);
  });

  test('after 1009 it stops: reconnecting would resend the message', () => {
    const { live, clock, errors } = setup();
    live.subscribe('petition:1', {});
    accept().serverClose(CloseCode.MESSAGE_TOO_BIG);
    assert.equal(live.state, ConnectionState.OFFLINE);
    assert.deepEqual(clock.pending(), []);
    assert.equal(errors.at(-1).code, 'message_too_big');
  });

  test('close() sends 1000, goes offline and stops; connect() starts again and resumes', () => {
    const { live, clock } = setup();
    live.subscribe('petition:1', {});
    const ws = accept();
    ws.serverSend(snapshot);
    live.close();
    assert.deepEqual(ws.closedWith, { code: 1000, reason: 'client closed' });
    assert.equal(live.state, ConnectionState.OFFLINE);
    ws.serverClose(1000); // the close handshake completes later: ignored
    assert.deepEqual(clock.pending(), []);
    assert.equal(FakeWebSocket.instances.length, 1);

    live.connect();
    const again = accept();
    assert.deepEqual(again.messages[0].resume, { 'petition:1': { epoch: 'e7f3a9c2', offset: 41 } });
  });

  test('an unexpected 1000 from the server is treated as a drop: reconnect', () => {
    const { live, clock } = setup();
    live.subscribe('petition:1', {});
    accept().serverClose(1000);
    assert.equal(live.state, ConnectionState.RECONNECTING);
    assert.equal(clock.pending().length, 1);
  });

  test('wake() reconnects at once while waiting to reconnect', () => {
    const { live, clock } = setup({ random: () => 0.999 });
    live.subscribe('petition:1', {});
    accept().serverClose(CloseCode.ABNORMAL);
    assert.equal(FakeWebSocket.instances.length, 1);
    live.wake();
    assert.equal(FakeWebSocket.instances.length, 2);
    assert.deepEqual(clock.pending().map((t) => t.delay), [Defaults.CONNECT_TIMEOUT_MS]);
  });

  test('a connection that never gets its welcome is given up after the connect timeout', () => {
    const { live, clock } = setup();
    live.subscribe('petition:1', {});
    const ws = FakeWebSocket.last;
    ws.serverOpen();
    clock.advance(Defaults.CONNECT_TIMEOUT_MS);
    assert.equal(ws.closedWith?.code, 1000);
    assert.equal(live.state, ConnectionState.RECONNECTING);
    clock.advance(reconnectDelay(clock));
    assert.equal(FakeWebSocket.instances.length, 2);
  });

  test('a WebSocket constructor that throws is retried with backoff, not thrown to the caller', () => {
    let fail = true;
    class Flaky extends FakeWebSocket {
      constructor(url) { if (fail) throw new Error('SecurityError'); super(url); }
    }
    const { live, clock, reported } = setup({ WebSocketImpl: Flaky });
    assert.doesNotThrow(() => live.subscribe('petition:1', {}));
    assert.equal(reported.length, 1);
    fail = false;
    clock.advance(reconnectDelay(clock));
    accept();
    assert.equal(live.state, ConnectionState.LIVE);
  });
});

describe('LiveSocket: liveness', () => {
  test('sends a ping after heartbeat_ms of silence; a pong keeps the connection', () => {
    const { live, clock } = setup();
    live.subscribe('petition:1', {});
    const ws = accept();
    ws.serverSend(snapshot);
    clock.advance(HEARTBEAT - 1);
    assert.equal(ws.messages.length, 1);
    clock.advance(1);
    assert.deepEqual(ws.messages.at(-1), clientExample('ping'));
    clock.advance(HEARTBEAT - 1);
    ws.serverSend(serverExample('pong'));
    clock.advance(HEARTBEAT - 1);
    assert.equal(ws.closedWith, null, 'the pong proved the connection alive');
    assert.equal(ws.messages.filter((m) => m.type === 'ping').length, 1);
    assert.equal(live.state, ConnectionState.LIVE);
    assertValidClientMessages(ws);
  });

  test('any message counts as a sign of life: no ping while events flow', () => {
    const { live, clock } = setup();
    live.subscribe('petition:1', {});
    const ws = accept();
    ws.serverSend(snapshot);
    for (let offset = 42; offset < 52; offset += 1) {
      clock.advance(HEARTBEAT - 100);
      ws.serverSend(with_(countEvent, { offset }));
    }
    assert.equal(ws.messages.filter((m) => m.type === 'ping').length, 0);
  });

  test('no reply within another heartbeat_ms: closes, reconnects and resumes', () => {
    const { live, clock, states } = setup();
    live.subscribe('petition:1', {});
    const ws = accept();
    ws.serverSend(snapshot);
    clock.advance(HEARTBEAT);
    assert.equal(ws.messages.at(-1).type, 'ping');
    clock.advance(HEARTBEAT);
    assert.equal(ws.closedWith?.code, 1000, 'the dead socket is closed');
    assert.equal(live.state, ConnectionState.RECONNECTING);
    assert.equal(states.at(-1).reason, 'no reply to ping');
    ws.serverClose(1006); // its close event, whenever it comes, changes nothing
    assert.equal(clock.pending().length, 1);
    clock.advance(reconnectDelay(clock));
    assert.equal(FakeWebSocket.instances.length, 2);
    const next = accept();
    assert.deepEqual(next.messages[0].resume, { 'petition:1': { epoch: 'e7f3a9c2', offset: 41 } });
  });

  test('uses heartbeat_ms from the welcome', () => {
    const { live, clock } = setup();
    live.subscribe('petition:1', {});
    const ws = accept(FakeWebSocket.last, with_(welcome, { heartbeat_ms: 1000 }));
    clock.advance(1000);
    assert.equal(ws.messages.at(-1).type, 'ping');
    clock.advance(1000);
    assert.ok(ws.closedWith);
  });

  test('wake() while live sends a ping to check the connection', () => {
    const { live, clock } = setup();
    live.subscribe('petition:1', {});
    const ws = accept();
    clock.advance(1000);
    live.wake();
    assert.deepEqual(ws.messages.at(-1), clientExample('ping'));
    clock.advance(HEARTBEAT);
    assert.ok(ws.closedWith, 'no answer: dropped');
  });
});
