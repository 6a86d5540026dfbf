/** The closed set of error codes (protocol §5), shared by HTTP and WebSocket. */
export const errorCodes = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_member',
  'not_found',
  'too_large',
  'rate_limited',
  'conflict',
  'internal',
  /** Extension: the server cannot write for now (storage busy or full); retry after `retryAfterMs`. */
  'unavailable',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** The HTTP status that carries each error code. */
export const httpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_member: 403,
  not_found: 404,
  too_large: 413,
  rate_limited: 429,
  conflict: 409,
  internal: 500,
  unavailable: 503,
};

/** WebSocket close codes (protocol §5). */
export const CloseCode = {
  /** Server shutting down: reconnect elsewhere. */
  goingAway: 1001,
  /** Frame larger than `maxFrameBytes`. */
  messageTooBig: 1009,
  /** First frame not `hello`, or bad frames again and again. */
  protocolViolation: 4400,
  /** Bad or expired token. The client must not reconnect with it. */
  unauthorized: 4401,
  /** Device revoked. The client must not reconnect with it. */
  deviceRevoked: 4403,
  /** No `hello` in time, or heartbeat lost. */
  timeout: 4408,
  /** Rate limit abused. */
  rateLimitAbused: 4429,
  /** Slow consumer: the client did not read. Reconnect and resume. */
  slowConsumer: 4503,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting with the same token cannot succeed. */
export const terminalCloseCodes: ReadonlySet<number> = new Set([CloseCode.unauthorized, CloseCode.deviceRevoked]);

/** The JSON body of every HTTP error response. */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string; retryAfterMs?: number };
}
