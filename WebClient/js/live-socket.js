// LiveSocket: the browser client of Hemicycle's /live WebSocket protocol, version 1
// (Protocol/PROTOCOL.md; Protocol/DESIGN-CONTRACT.md). No dependencies. The WebSocket constructor, the random
// source and the timer functions can be injected, so the Node tests drive it with fakes.
//
//   const live = new LiveSocket({ url: 'wss://example.org/live', onStateChange: (state) => … });
//   const stop = live.subscribe('petition:1', {
//     onSnapshot(data, meta) { … },        // the topic's whole state: replace yours
//     onEvent(name, data, meta) { … },     // in offset order, duplicates and stale epochs dropped
//     onError(error) { … },                // the topic was refused (unknown_topic, forbidden_topic, …)
//   });
//
// What it does:
// - connects on the first subscribe() (or connect()); after `welcome`, sends one `subscribe` for every wanted topic
//   with a `resume` position for each topic it holds an epoch and offset for;
// - keeps per topic the epoch and offset last applied; applies every snapshot; applies an event only if its epoch is
//   the one held and its offset is greater; an event of another epoch makes it ask for a fresh snapshot;
// - reconnects on any close except one it asked for (and 1009), with full-jitter exponential backoff
//   (random in [0, min(cap, base x 2^n)]); n goes back to 0 once a connection has stayed up `stableAfterMs`;
//   after 1001 the first delay is spread over at least 0-5 s; after 4001 it waits `abuseDelayMs` more;
// - liveness: after `heartbeat_ms` without hearing anything it sends {"type":"ping"}; if nothing arrives within
//   another `heartbeat_ms` it drops the socket and reconnects;
// - reports 'connecting' | 'live' | 'reconnecting' | 'offline' through onStateChange;
// - never throws on what the server sends (unknown types, events and fields are ignored).

import { CloseCode, ConnectionState, Defaults, ErrorCode, MessageType, PROTOCOL_VERSION } from './constants.js';

const OPEN = 1; // WebSocket.OPEN, without relying on the injected implementation exposing it

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isOffset = (v) => Number.isSafeInteger(v) && v >= 0;
const isPositiveInt = (v) => Number.isSafeInteger(v) && v > 0;
const byteLength = (text) => (typeof TextEncoder === 'function' ? new TextEncoder().encode(text).length : text.length * 3);

/** Refusals that name one bad topic: a refused multi-topic subscribe is retried topic by topic to find it. */
const TOPIC_ERRORS = new Set([ErrorCode.UNKNOWN_TOPIC, ErrorCode.FORBIDDEN_TOPIC]);
/** Retrying one by one costs up to one error per topic, and 10 errors in 10 s close the connection (4001). */
const MAX_SPLIT = 8;

export class LiveSocket {
  #url;
  #WebSocketImpl;
  #random;
  #setTimeout;
  #clearTimeout;
  #onStateChange;
  #onError;
  #reportError;
  #options;

  #ws = null;
  #welcomed = false;     // the current socket has received its welcome
  #state = ConnectionState.OFFLINE;
  #started = false;      // connect() called and close() not called since
  #everLive = false;     // a welcome has been received at least once
  #attempt = 0;          // n of the backoff: reconnects since the last stable connection
  #failures = 0;         // consecutive connections that ended before a welcome
  #heartbeatMs;
  #limits = null;
  #session = null;
  #awaitingPong = false;
  #timers = { reconnect: null, idle: null, connect: null, stable: null };
  #nextRef = 1;
  /** ref -> topics of a subscribe in flight, to attribute `error` replies. */
  #pending = new Map();
  /** topic -> { listeners: Set, epoch: string|null, offset: number|null } */
  #topics = new Map();

  /**
   * @param {object} options
   * @param {string|(() => string)} options.url  ws:// or wss:// URL of /live (or a function returning it)
   * @param {Function} [options.WebSocketImpl]  WebSocket constructor (default globalThis.WebSocket)
   * @param {() => number} [options.random]  [0,1) source for the backoff jitter
   * @param {Function} [options.setTimeout]
   * @param {Function} [options.clearTimeout]
   * @param {(state: string, detail: object) => void} [options.onStateChange]
   * @param {(error: {code: string, message: string, ref: string|null}) => void} [options.onError]
   *        every `error` frame from the server, and client-side problems (code `protocol_mismatch`, `message_too_big`)
   * @param {(error: unknown) => void} [options.reportError]  where exceptions thrown by listeners go
   */
  constructor({
    url,
    WebSocketImpl = globalThis.WebSocket,
    random = Math.random,
    setTimeout = (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout = (id) => globalThis.clearTimeout(id),
    onStateChange = () => {},
    onError = () => {},
    reportError = (error) => (typeof globalThis.reportError === 'function' ? globalThis.reportError(error) : console.error(error)),
    heartbeatMs = Defaults.HEARTBEAT_MS,
    backoffBaseMs = Defaults.BACKOFF_BASE_MS,
    backoffCapMs = Defaults.BACKOFF_CAP_MS,
    stableAfterMs = Defaults.STABLE_AFTER_MS,
    goingAwaySpreadMs = Defaults.GOING_AWAY_SPREAD_MS,
    abuseDelayMs = Defaults.ABUSE_DELAY_MS,
    connectTimeoutMs = Defaults.CONNECT_TIMEOUT_MS,
    offlineAfterFailures = Defaults.OFFLINE_AFTER_FAILURES,
  } = {}) {
    if (!url) throw new TypeError('LiveSocket needs a url');
    if (typeof WebSocketImpl !== 'function') throw new TypeError('LiveSocket needs a WebSocket implementation');
    this.#url = url;
    this.#WebSocketImpl = WebSocketImpl;
    this.#random = random;
    this.#setTimeout = setTimeout;
    this.#clearTimeout = clearTimeout;
    this.#onStateChange = onStateChange;
    this.#onError = onError;
    this.#reportError = reportError;
    this.#heartbeatMs = heartbeatMs;
    this.#options = {
      backoffBaseMs, backoffCapMs, stableAfterMs, goingAwaySpreadMs, abuseDelayMs, connectTimeoutMs, offlineAfterFailures,
    };
  }

  /** 'connecting' | 'live' | 'reconnecting' | 'offline' */
  get state() { return this.#state; }
  /** The heartbeat interval in use (from the last welcome, else the default). */
  get heartbeatMs() { return this.#heartbeatMs; }
  /** `limits` of the last welcome, or null. */
  get limits() { return this.#limits; }
  /** `session` of the last welcome, or null. */
  get session() { return this.#session; }
  /** Topics currently wanted. */
  get topics() { return [...this.#topics.keys()]; }
  /** The position last applied for a topic: {epoch, offset}, or null. */
  position(topic) {
    const sub = this.#topics.get(topic);
    return sub && sub.epoch !== null ? { epoch: sub.epoch, offset: sub.offset } : null;
  }

  /** Starts connecting (no-op when already started). */
  connect() {
    if (this.#started) return;
    this.#started = true;
    this.#attempt = 0;
    this.#failures = 0;
    this.#open();
  }

  /** Closes with 1000 and stops reconnecting; state 'offline'. Positions are kept for a later connect(). */
  close() {
    this.#started = false;
    this.#clearTimer('reconnect');
    const ws = this.#dropSocket();
    if (ws) {
      try { ws.close(CloseCode.NORMAL, 'client closed'); } catch { /* already closing */ }
    }
    this.#setState(ConnectionState.OFFLINE, { reason: 'closed' });
  }

  /**
   * Call when the page comes back to the foreground or the network changes: a waiting reconnect happens now;
   * a live connection is checked with a ping (no answer within heartbeat_ms: reconnect).
   */
  wake() {
    if (!this.#started) return;
    if (this.#timers.reconnect !== null) {
      this.#clearTimer('reconnect');
      this.#open();
    } else if (this.#welcomed && !this.#awaitingPong) {
      this.#sendPing();
      this.#armIdle();
    }
  }

  /**
   * Wants a topic. Returns a function that removes this listener (and unsubscribes when it was the last).
   * A second listener on a topic already received triggers a fresh snapshot, for all its listeners.
   * @param {string} topic
   * @param {{onSnapshot?: Function, onEvent?: Function, onSubscribed?: Function, onError?: Function}} handlers
   */
  subscribe(topic, { onSnapshot, onEvent, onSubscribed, onError } = {}) {
    if (typeof topic !== 'string' || topic === '') throw new TypeError('topic must be a non-empty string');
    const listener = { onSnapshot, onEvent, onSubscribed, onError };
    let sub = this.#topics.get(topic);
    if (!sub) {
      sub = { listeners: new Set([listener]), epoch: null, offset: null };
      this.#topics.set(topic, sub);
      if (this.#canSend()) this.#sendSubscribe([topic]);
    } else {
      sub.listeners.add(listener);
      if (sub.epoch !== null) this.#resync(topic);
    }
    if (!this.#started) this.connect();
    return () => {
      if (!sub.listeners.delete(listener)) return;
      if (sub.listeners.size === 0 && this.#topics.get(topic) === sub) {
        this.#topics.delete(topic);
        if (this.#canSend()) this.#send({ type: MessageType.UNSUBSCRIBE, topics: [topic], ref: `unsub-${this.#nextRef++}` });
      }
    };
  }

  // MARK: - connection

  #open() {
    this.#clearTimer('reconnect');
    this.#setState(this.#stateWhileConnecting(), { attempt: this.#attempt });
    let ws;
    try {
      const url = typeof this.#url === 'function' ? this.#url() : this.#url;
      ws = new this.#WebSocketImpl(url);
    } catch (error) {
      this.#reportError(error);
      this.#failures += 1;
      this.#scheduleReconnect({ reason: 'constructor failed' });
      return;
    }
    this.#ws = ws;
    this.#welcomed = false;
    this.#awaitingPong = false;
    ws.onopen = null; // nothing to do before the welcome (PROTOCOL.md 4: wait for it before sending)
    ws.onmessage = (event) => { if (ws === this.#ws) this.#handleMessage(event); };
    ws.onclose = (event) => { if (ws === this.#ws) this.#handleClose(event); };
    ws.onerror = () => { /* a close event follows */ };
    // Until the welcome, a connection that hangs (a captive portal, a dead proxy) is given up after a while.
    this.#timers.connect = this.#setTimeout(() => {
      this.#timers.connect = null;
      if (ws === this.#ws && !this.#welcomed) this.#abandon('no welcome');
    }, this.#options.connectTimeoutMs);
  }

  #stateWhileConnecting() {
    if (this.#failures >= this.#options.offlineAfterFailures) return ConnectionState.OFFLINE;
    return this.#everLive || this.#attempt > 0 ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING;
  }

  #handleClose(event) {
    const code = event && typeof event.code === 'number' ? event.code : CloseCode.ABNORMAL;
    const welcomed = this.#welcomed;
    this.#dropSocket();
    if (!this.#started) {
      this.#setState(ConnectionState.OFFLINE, { closeCode: code });
      return;
    }
    if (!welcomed) this.#failures += 1;
    if (code === CloseCode.MESSAGE_TOO_BIG) {
      // PROTOCOL.md 12: "fix the client; do not resend that message". Reconnecting would resend it.
      this.#started = false;
      this.#emitError({ code: 'message_too_big', message: 'the server refused a message as too big (1009)', ref: null });
      this.#setState(ConnectionState.OFFLINE, { closeCode: code, reason: 'message too big' });
      return;
    }
    this.#scheduleReconnect({ closeCode: code });
  }

  /** Gives up on the current socket without waiting for its close event (which can take minutes on a dead network). */
  #abandon(reason) {
    const welcomed = this.#welcomed;
    const ws = this.#dropSocket();
    if (ws) {
      try { ws.close(CloseCode.NORMAL, reason); } catch { /* ignore */ }
    }
    if (!welcomed) this.#failures += 1;
    this.#scheduleReconnect({ reason });
  }

  /** Detaches the current socket; returns it. */
  #dropSocket() {
    const ws = this.#ws;
    this.#ws = null;
    this.#welcomed = false;
    this.#pending.clear();
    this.#awaitingPong = false;
    this.#clearTimer('idle');
    this.#clearTimer('connect');
    this.#clearTimer('stable');
    if (ws) {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
      ws.onerror = null;
    }
    return ws;
  }

  #scheduleReconnect({ closeCode, reason }) {
    const o = this.#options;
    let ceiling = Math.min(o.backoffCapMs, o.backoffBaseMs * 2 ** this.#attempt);
    // 1001: every client of the server reconnects at once; spread them over at least 0-5 s.
    if (closeCode === CloseCode.GOING_AWAY) ceiling = Math.max(ceiling, o.goingAwaySpreadMs);
    let delayMs = Math.floor(this.#random() * ceiling); // full jitter
    const abuse = closeCode === CloseCode.ABUSE;
    if (abuse) delayMs += o.abuseDelayMs; // at least the server's abuse window
    this.#attempt += 1;
    const state = abuse || this.#failures >= o.offlineAfterFailures
      ? ConnectionState.OFFLINE
      : ConnectionState.RECONNECTING;
    this.#setState(state, { closeCode, reason, delayMs, attempt: this.#attempt });
    this.#timers.reconnect = this.#setTimeout(() => {
      this.#timers.reconnect = null;
      if (this.#started && !this.#ws) this.#open();
    }, delayMs);
  }

  // MARK: - liveness

  #armIdle() {
    this.#clearTimer('idle');
    this.#timers.idle = this.#setTimeout(() => {
      this.#timers.idle = null;
      if (!this.#ws) return;
      if (this.#awaitingPong) {
        this.#abandon('no reply to ping');
      } else {
        this.#sendPing();
        this.#armIdle();
      }
    }, this.#heartbeatMs);
  }

  #sendPing() {
    this.#awaitingPong = true;
    this.#send({ type: MessageType.PING });
  }

  // MARK: - inbound

  #handleMessage(event) {
    const raw = event ? event.data : undefined;
    if (this.#welcomed) {
      // Anything heard proves the connection is alive.
      this.#awaitingPong = false;
      this.#armIdle();
    }
    if (typeof raw !== 'string') return; // binary frames are not part of the protocol
    let message;
    try { message = JSON.parse(raw); } catch { return; }
    if (!isObject(message) || typeof message.type !== 'string') return;
    try {
      switch (message.type) {
        case MessageType.WELCOME: this.#onWelcome(message); break;
        case MessageType.SNAPSHOT: this.#onSnapshot(message); break;
        case MessageType.EVENT: this.#onEvent(message); break;
        case MessageType.SUBSCRIBED: this.#onSubscribed(message); break;
        case MessageType.ERROR: this.#onErrorFrame(message); break;
        default: break; // unsubscribed, pong: nothing to do; unknown types are ignored (PROTOCOL.md 15)
      }
    } catch (error) {
      this.#reportError(error);
    }
  }

  #onWelcome(message) {
    if (this.#welcomed) return; // one per connection
    if (message.protocol !== PROTOCOL_VERSION) {
      // A breaking protocol change (e.g. this page's script is older than the server): do not guess.
      this.#emitError({ code: 'protocol_mismatch', message: `server speaks protocol ${message.protocol}`, ref: null });
      this.close();
      return;
    }
    if (isPositiveInt(message.heartbeat_ms)) this.#heartbeatMs = message.heartbeat_ms;
    if (isObject(message.limits)) this.#limits = { ...message.limits };
    if (typeof message.session === 'string') this.#session = message.session;
    this.#welcomed = true;
    this.#clearTimer('connect');
    this.#failures = 0;
    this.#everLive = true;
    this.#timers.stable = this.#setTimeout(() => {
      this.#timers.stable = null;
      this.#attempt = 0; // the connection stayed up: the next drop starts the backoff again
    }, this.#options.stableAfterMs);
    this.#armIdle();
    this.#setState(ConnectionState.LIVE, { session: this.#session });
    const topics = [...this.#topics.keys()];
    if (topics.length > 0) this.#sendSubscribe(topics);
  }

  #onSnapshot(message) {
    const { topic, epoch, offset, data } = message;
    const sub = this.#topics.get(topic);
    if (!sub || typeof epoch !== 'string' || !isOffset(offset) || !isObject(data)) return;
    // Always applied, even with a lower offset (a new epoch starts low): PROTOCOL.md 7.2.
    sub.epoch = epoch;
    sub.offset = offset;
    this.#notify(sub, 'onSnapshot', data, { topic, epoch, offset });
  }

  #onEvent(message) {
    const { topic, epoch, offset, event, data } = message;
    const sub = this.#topics.get(topic);
    if (!sub || typeof epoch !== 'string' || !isOffset(offset) || typeof event !== 'string' || !isObject(data)) return;
    if (sub.epoch === null) return; // no state to apply it to: a snapshot is on its way
    if (epoch !== sub.epoch) {
      // Not the stream our state comes from: it cannot be patched. Ask for a fresh snapshot.
      this.#resync(topic);
      return;
    }
    if (offset <= sub.offset) return; // already applied (a duplicate after a resume)
    // Offsets may jump: a slow reader's superseded conflatable events are dropped. Not an error.
    sub.offset = offset;
    this.#notify(sub, 'onEvent', event, data, { topic, epoch, offset });
  }

  #onSubscribed(message) {
    if (typeof message.ref === 'string') this.#pending.delete(message.ref);
    if (!Array.isArray(message.topics)) return;
    for (const info of message.topics) {
      if (!isObject(info)) continue;
      const sub = this.#topics.get(info.topic);
      if (sub) this.#notify(sub, 'onSubscribed', { ...info });
    }
  }

  #onErrorFrame(message) {
    const error = {
      code: typeof message.code === 'string' ? message.code : 'unknown',
      message: typeof message.message === 'string' ? message.message : '',
      ref: typeof message.ref === 'string' ? message.ref : null,
    };
    this.#emitError(error);
    // Unprompted: the staff session behind this connection ended or lost a role. The listed topics are gone (and
    // would be refused on a reconnect): drop them and tell their listeners.
    if (error.code === ErrorCode.ACCESS_REVOKED && Array.isArray(message.topics)) {
      for (const topic of message.topics) {
        const sub = this.#topics.get(topic);
        if (!sub) continue;
        this.#topics.delete(topic);
        this.#notify(sub, 'onError', { ...error, topic });
      }
      return;
    }
    const topics = error.ref !== null ? this.#pending.get(error.ref) : undefined;
    if (!topics) return;
    this.#pending.delete(error.ref);
    const wanted = topics.filter((t) => this.#topics.has(t));
    // Subscribes are all-or-nothing: to subscribe the good topics and find the bad one, ask again one by one.
    if (wanted.length > 1 && wanted.length <= MAX_SPLIT && TOPIC_ERRORS.has(error.code)) {
      for (const topic of wanted) this.#sendSubscribe([topic]);
      return;
    }
    // Refused for good: tell the listeners, and do not ask again on every reconnect.
    for (const topic of wanted) {
      const sub = this.#topics.get(topic);
      this.#topics.delete(topic);
      this.#notify(sub, 'onError', { ...error, topic });
    }
  }

  #emitError(error) {
    try { this.#onError(error); } catch (e) { this.#reportError(e); }
  }

  #notify(sub, method, ...args) {
    for (const listener of [...sub.listeners]) {
      const fn = listener[method];
      if (typeof fn !== 'function') continue;
      try { fn(...args); } catch (error) { this.#reportError(error); }
    }
  }

  // MARK: - outbound

  #canSend() { return this.#ws !== null && this.#welcomed && this.#ws.readyState === OPEN; }

  /** Sends `subscribe` for `topics`, with resume positions, split to respect the welcome's limits. */
  #sendSubscribe(topics) {
    const maxTopics = isPositiveInt(this.#limits?.max_topics) ? this.#limits.max_topics : Defaults.MAX_TOPICS;
    const maxBytes = isPositiveInt(this.#limits?.max_message_bytes) ? this.#limits.max_message_bytes : Defaults.MAX_MESSAGE_BYTES;
    let chunk = [];
    const flush = () => {
      if (chunk.length === 0) return;
      const ref = `sub-${this.#nextRef++}`;
      this.#pending.set(ref, chunk);
      this.#send(this.#subscribeMessage(chunk, ref));
      chunk = [];
    };
    for (const topic of topics) {
      const candidate = [...chunk, topic];
      const tooBig = byteLength(JSON.stringify(this.#subscribeMessage(candidate, 'sub-000000'))) > maxBytes;
      if (chunk.length > 0 && (candidate.length > maxTopics || tooBig)) flush();
      chunk.push(topic);
    }
    flush();
  }

  #subscribeMessage(topics, ref) {
    const message = { type: MessageType.SUBSCRIBE, topics, ref };
    const resume = {};
    for (const topic of topics) {
      const sub = this.#topics.get(topic);
      if (sub && sub.epoch !== null) resume[topic] = { epoch: sub.epoch, offset: sub.offset };
    }
    if (Object.keys(resume).length > 0) message.resume = resume;
    return message;
  }

  /** Forgets the position of a topic and asks for a fresh snapshot. */
  #resync(topic) {
    const sub = this.#topics.get(topic);
    if (!sub) return;
    sub.epoch = null;
    sub.offset = null;
    if (!this.#canSend()) return; // the next welcome subscribes it, without resume
    this.#send({ type: MessageType.UNSUBSCRIBE, topics: [topic], ref: `unsub-${this.#nextRef++}` });
    this.#sendSubscribe([topic]);
  }

  #send(message) {
    if (this.#ws === null || this.#ws.readyState !== OPEN) return false;
    try {
      this.#ws.send(JSON.stringify(message));
      return true;
    } catch (error) {
      this.#reportError(error);
      return false;
    }
  }

  // MARK: - helpers

  #setState(state, detail = {}) {
    if (state === this.#state) return;
    this.#state = state;
    try { this.#onStateChange(state, detail); } catch (error) { this.#reportError(error); }
  }

  #clearTimer(name) {
    const id = this.#timers[name];
    if (id !== null && id !== undefined) this.#clearTimeout(id);
    this.#timers[name] = null;
  }
}
