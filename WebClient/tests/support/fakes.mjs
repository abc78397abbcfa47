// Test doubles: a WebSocket the test drives by hand, and a clock whose timers run when the test says so.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXAMPLES_DIR = join(REPO_ROOT, 'Protocol', 'examples');
export const SCHEMAS_DIR = join(REPO_ROOT, 'Protocol', 'schemas');

/** Reads Protocol/examples/{server|client}/{name}.json; fails loudly if it is missing (no silent fallback). */
export function example(side, name) {
  const file = join(EXAMPLES_DIR, side, `${name}.json`);
  if (!existsSync(file)) throw new Error(`missing protocol example ${file}`);
  return JSON.parse(readFileSync(file, 'utf8'));
}
export const serverExample = (name) => example('server', name);
export const clientExample = (name) => example('client', name);

/** Every example of a side: [{name, message}]. */
export function allExamples(side) {
  const dir = join(EXAMPLES_DIR, side);
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => ({ name: f.slice(0, -5), message: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}

export class FakeClock {
  now = 0;
  #timers = new Map();
  #nextId = 1;

  setTimeout = (fn, ms = 0) => {
    const id = this.#nextId++;
    this.#timers.set(id, { fn, at: this.now + Math.max(0, ms), id });
    return id;
  };

  clearTimeout = (id) => { this.#timers.delete(id); };

  /** Pending timers as [{id, at, delay}], soonest first. */
  pending() {
    return [...this.#timers.values()].sort((a, b) => a.at - b.at || a.id - b.id)
      .map(({ id, at }) => ({ id, at, delay: at - this.now }));
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms) {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.#timers.values()].sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next || next.at > until) break;
      this.#timers.delete(next.id);
      this.now = next.at;
      next.fn();
    }
    this.now = until;
  }
}

/** A WebSocket stand-in. `FakeWebSocket.instances` lists every socket created, newest last. */
export class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static instances = [];
  static reset() { FakeWebSocket.instances = []; }
  static get last() { return FakeWebSocket.instances[FakeWebSocket.instances.length - 1]; }

  constructor(url) {
    this.url = url;
    this.readyState = FakeWebSocket.CONNECTING;
    this.sent = [];          // raw strings
    this.closedWith = null;  // {code, reason} when the client called close()
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
    FakeWebSocket.instances.push(this);
  }

  /** Messages the client sent, parsed. */
  get messages() { return this.sent.map((s) => JSON.parse(s)); }

  send(data) {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('InvalidStateError: not open');
    this.sent.push(data);
  }

  close(code = 1000, reason = '') {
    this.closedWith = { code, reason };
    this.readyState = FakeWebSocket.CLOSING;
  }

  // --- driven by the test ---
  serverOpen() {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.({ type: 'open' });
  }

  /** Delivers a message: an object is sent as JSON text, a string as is. */
  serverSend(message) {
    const data = typeof message === 'string' ? message : JSON.stringify(message);
    this.onmessage?.({ type: 'message', data });
  }

  serverSendRaw(data) { this.onmessage?.({ type: 'message', data }); }

  serverClose(code = 1006, reason = '') {
    this.readyState = FakeWebSocket.CLOSED;
    this.onerror?.({ type: 'error' });
    this.onclose?.({ type: 'close', code, reason, wasClean: code !== 1006 });
  }
}
