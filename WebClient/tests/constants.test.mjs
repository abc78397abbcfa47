// constants.js must mirror the protocol: the examples and schemas in Protocol/ are the reference.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  CLIENT_MESSAGE_TYPES, CloseCode, Defaults, ErrorCode, EventName, MessageType, PROTOCOL_VERSION,
  SERVER_MESSAGE_TYPES, petitionAreasTopic, petitionTopic, sittingTopic,
} from '../js/constants.js';
import { SCHEMAS_DIR, allExamples, serverExample } from './support/fakes.mjs';
import { validate } from './support/json-schema.mjs';

const schema = (side, type) => JSON.parse(readFileSync(join(SCHEMAS_DIR, side, `${type}.schema.json`), 'utf8'));

test('every example message type is known, on the right side', () => {
  for (const { name, message } of allExamples('server')) assert.ok(SERVER_MESSAGE_TYPES.includes(message.type), name);
  for (const { name, message } of allExamples('client')) assert.ok(CLIENT_MESSAGE_TYPES.includes(message.type), name);
  assert.deepEqual(new Set([...CLIENT_MESSAGE_TYPES, ...SERVER_MESSAGE_TYPES]), new Set(Object.values(MessageType)));
});

test('the client examples are valid per the client schemas (the test schema checker works)', () => {
  for (const { name, message } of allExamples('client')) {
    assert.deepEqual(validate(schema('client', message.type), message), [], name);
  }
  assert.notDeepEqual(validate(schema('client', 'subscribe'), { type: 'subscribe', topics: [] }), []);
  assert.notDeepEqual(validate(schema('client', 'ping'), { type: 'ping', ref: null }), []);
});

test('event names and error codes match the server schemas', () => {
  assert.deepEqual(new Set(schema('server', 'event').properties.event.enum), new Set(Object.values(EventName)));
  assert.deepEqual(new Set(schema('server', 'error').properties.code.enum), new Set(Object.values(ErrorCode)));
});

test('protocol version, heartbeat and limits match the welcome example', () => {
  const welcome = serverExample('welcome');
  assert.equal(welcome.protocol, PROTOCOL_VERSION);
  assert.equal(welcome.heartbeat_ms, Defaults.HEARTBEAT_MS);
  assert.equal(welcome.limits.max_message_bytes, Defaults.MAX_MESSAGE_BYTES);
  assert.equal(welcome.limits.max_topics, Defaults.MAX_TOPICS);
});

test('close codes of the contract', () => {
  assert.deepEqual(
    { ...CloseCode },
    { NORMAL: 1000, GOING_AWAY: 1001, PROTOCOL_ERROR: 1002, ABNORMAL: 1006, MESSAGE_TOO_BIG: 1009, ABUSE: 4001, SLOW_CONSUMER: 4002, IDLE_TIMEOUT: 4003 },
  );
});

test('topic builders', () => {
  assert.equal(petitionTopic(1), 'petition:1');
  assert.equal(sittingTopic(3), 'sitting:3');
  assert.equal(serverExample('snapshot-petition').topic, petitionTopic(1));
  assert.equal(petitionAreasTopic(1), 'petition:1:areas');
  assert.equal(serverExample('snapshot-petition-areas').topic, petitionAreasTopic(1));
});
