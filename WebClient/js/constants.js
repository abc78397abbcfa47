// Hemicycle wire protocol constants, mirroring Protocol/DESIGN-CONTRACT.md (protocol version 1).
// Keep this file in step with the contract: the Node tests check it against the examples in Protocol/examples/.

export const PROTOCOL_VERSION = 1;

/** Path of the WebSocket endpoint on the page's own origin. */
export const LIVE_PATH = '/live';

/** Message `type` values. */
export const MessageType = Object.freeze({
  // client -> server
  SUBSCRIBE: 'subscribe',
  UNSUBSCRIBE: 'unsubscribe',
  PING: 'ping',
  // server -> client
  WELCOME: 'welcome',
  SNAPSHOT: 'snapshot',
  EVENT: 'event',
  SUBSCRIBED: 'subscribed',
  UNSUBSCRIBED: 'unsubscribed',
  PONG: 'pong',
  ERROR: 'error',
});

export const CLIENT_MESSAGE_TYPES = Object.freeze([
  MessageType.SUBSCRIBE, MessageType.UNSUBSCRIBE, MessageType.PING,
]);

export const SERVER_MESSAGE_TYPES = Object.freeze([
  MessageType.WELCOME, MessageType.SNAPSHOT, MessageType.EVENT, MessageType.SUBSCRIBED,
  MessageType.UNSUBSCRIBED, MessageType.PONG, MessageType.ERROR,
]);

/** `event` names per topic kind (the hearing topics: Protocol/HEARINGS.md §5). */
export const EventName = Object.freeze({
  COUNT: 'count',          // petition:{id}, conflated
  THRESHOLD: 'threshold',  // petition:{id}, never dropped
  STATE: 'state',          // petition:{id}, never dropped: the petition's state changed
  AREAS: 'areas',          // petition:{id}:areas, reliable: only the areas whose count changed
  VIEWERS: 'viewers',      // sitting:{id}, conflated
  QUESTION: 'question',    // sitting:{id} (public Question) and sitting:{id}:moderation (StaffQuestion), reliable
  MODERATED: 'moderated',  // sitting:{id}, reliable
  VOTES: 'votes',          // sitting:{id}, conflated
  ON_SCREEN: 'on_screen',  // sitting:{id}, reliable
  SITTING: 'sitting',      // sitting:{id}, reliable
  COUNTS: 'counts',        // sitting:{id}, conflated
  CLAIM: 'claim',          // sitting:{id}:moderation, reliable
  NOTE: 'note',            // sitting:{id}:moderation, reliable
  PRESENCE: 'presence',    // sitting:{id}:moderation, reliable
  HELD_VOTES: 'held_votes', // sitting:{id}:moderation, conflated: votes held per question (over the per-address cap)
  TALLY: 'tally',          // dashboard, conflated
  COMMENT: 'comment',      // bill:{id} (public comment) and bill:{id}:moderation (staff comment), reliable
  COMMENT_REMOVED: 'comment_removed', // bill:{id}, reliable: a comment is no longer public
  CLAUSE_COUNTS: 'clause_counts', // bill:{id}, conflated: per-clause counts of published comments
  MARKER: 'marker',        // bill:{id}, reliable: the committee's "now discussing" marker
  VERSION: 'version',      // bill:{id}, reliable: a newer version of the bill is now the published one
  LOG: 'log',              // bill:{id}:moderation, reliable: a moderation log entry
});

/** Topic prefixes and builders. */
export const TopicPrefix = Object.freeze({
  PETITION: 'petition:',
  SITTING: 'sitting:',
});
export const petitionTopic = (id) => `${TopicPrefix.PETITION}${id}`;
export const petitionAreasTopic = (id) => `${TopicPrefix.PETITION}${id}:areas`;
export const sittingTopic = (id) => `${TopicPrefix.SITTING}${id}`;

/** `code` of `error` frames on the WebSocket (the connection stays open). */
export const ErrorCode = Object.freeze({
  MALFORMED_JSON: 'malformed_json',
  INVALID_MESSAGE: 'invalid_message',
  UNKNOWN_TYPE: 'unknown_type',
  UNKNOWN_TOPIC: 'unknown_topic',
  FORBIDDEN_TOPIC: 'forbidden_topic',
  TOO_MANY_TOPICS: 'too_many_topics',
  MESSAGE_TOO_LARGE: 'message_too_large',
  BINARY_NOT_SUPPORTED: 'binary_not_supported',
  ACCESS_REVOKED: 'access_revoked', // unprompted: the staff session ended or lost a role; `topics` are gone
});

/** `error.code` of HTTP JSON error bodies `{"error":{"code","message","fields"?}}`. */
export const HttpErrorCode = Object.freeze({
  INVALID_INPUT: 'invalid_input',                   // 422
  DUPLICATE_SIGNATURE: 'duplicate_signature',       // 409
  PETITION_NOT_OPEN: 'petition_not_open',           // 409
  NOT_FOUND: 'not_found',                           // 404
  PAYLOAD_TOO_LARGE: 'payload_too_large',           // 413
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type', // 415
  ORIGIN_NOT_ALLOWED: 'origin_not_allowed',         // 403 on the /live upgrade
});

/** WebSocket close codes. */
export const CloseCode = Object.freeze({
  NORMAL: 1000,          // the client asked
  GOING_AWAY: 1001,      // server shutting down: reconnect with backoff and resume
  PROTOCOL_ERROR: 1002,  // invalid framing: reconnect
  ABNORMAL: 1006,        // not sent on the wire: the browser's code for a dropped connection
  MESSAGE_TOO_BIG: 1009, // a frame over the hard cap: a client bug
  ABUSE: 4001,           // too many protocol errors: wait, then reconnect
  SLOW_CONSUMER: 4002,   // outbound queue overflowed: reconnect and resume
  IDLE_TIMEOUT: 4003,    // nothing received for 2 x heartbeat + 5 s: reconnect and resume
});

/** Connection states reported by LiveSocket's onStateChange. */
export const ConnectionState = Object.freeze({
  CONNECTING: 'connecting',
  LIVE: 'live',
  RECONNECTING: 'reconnecting',
  OFFLINE: 'offline',
});

/** Defaults (the server's welcome overrides heartbeat_ms and the limits). PROTOCOL.md 9, 10 and 13. */
export const Defaults = Object.freeze({
  HEARTBEAT_MS: 25_000,
  BACKOFF_BASE_MS: 1_000,      // attempt n waits random [0, min(cap, base x 2^n)]
  BACKOFF_CAP_MS: 30_000,
  STABLE_AFTER_MS: 30_000,     // n goes back to 0 once a connection has stayed up this long
  GOING_AWAY_SPREAD_MS: 5_000, // after 1001, the first attempt is spread over at least 0-5 s
  ABUSE_DELAY_MS: 10_000,      // after 4001, wait at least the server's abuse window (10 s by default)
  CONNECT_TIMEOUT_MS: 15_000,  // no welcome within this: give up on the socket and retry
  OFFLINE_AFTER_FAILURES: 3,   // consecutive failed connections before reporting 'offline'
  ANNOUNCE_INTERVAL_MS: 10_000,
  MAX_MESSAGE_BYTES: 16 * 1024,
  MAX_TOPICS: 100,
});

/** Hearing topics (Protocol/HEARINGS.md §5): the staff side of a sitting, and the public dashboard. */
export const moderationTopic = (id) => `${TopicPrefix.SITTING}${id}:moderation`;
export const DASHBOARD_TOPIC = 'dashboard';
