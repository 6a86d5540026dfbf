/**
 * Protocol defaults. A server may be configured with other values; these are the
 * ones a client can assume when it knows nothing else.
 */
export const PROTOCOL_VERSION = 1;

export const defaultLimits = {
  /** Devices one user may have at once; a login past it is `409 conflict`. */
  maxDevices: 5,
  /** Members of a group conversation, creator included. */
  maxGroupSize: 1024,
  /** Characters in `body.text`; more is `too_large`. */
  maxTextLength: 65_536,
  /** UTF-8 bytes of the JSON of a message body; more is `too_large`. */
  maxBodyBytes: 64 * 1024,
  /** Levels of arrays and objects in a message body, the body itself being 1; more is `bad_request`. */
  maxBodyDepth: 64,
  /** Bytes of one WebSocket frame; more closes the connection with 1009. */
  maxFrameBytes: 128 * 1024,
  /** Time from connect to `hello`; past it the server closes with 4408. */
  helloTimeoutMs: 10_000,
  /** Time without a heartbeat answer before the server closes with 4408. */
  idleTimeoutMs: 60_000,
  /** Messages per page of history when the client names no `limit`. */
  historyPageDefault: 50,
  /** The largest page of history the server hands out. */
  historyPageMax: 200,
} as const;

/** Client reconnect backoff: exponential with full jitter (protocol §5). */
export const reconnectBackoff = {
  initialDelayMs: 250,
  maxDelayMs: 30_000,
} as const;
