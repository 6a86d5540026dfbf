import type { ClientStorage } from './client-storage.js';
import type { Clock } from './clock.js';
import type { WebSocketConstructor } from './web-socket-like.js';

export interface ParleyClientOptions {
  /** The server's http(s) base URL; the socket goes to `<ws(s)>/v1/ws`. */
  url: string;
  /** The device token from `POST /v1/sessions`. */
  token: string;
  /**
   * The id of the user the token belongs to, when the app knows it (from the
   * login): the socket URL carries it as `?user=`, so a load balancer routes
   * all of a user's devices to one node. Without it the client adds the id it
   * has stored, or learns it from the server's welcome. A hint for routing
   * only: the server never takes it for who the user is.
   */
  user?: string;
  /** Where the cursor and outbox live; default `MemoryStorage` (forgotten on exit). */
  storage?: ClientStorage;
  /** The WebSocket class; default `globalThis.WebSocket`. In Node use `@parley/client/node`. */
  WebSocket?: WebSocketConstructor;
  /** Jitter source in [0, 1) for reconnect delays; default `Math.random`. */
  random?: () => number;
  /**
   * The longest wait between reconnect attempts; default the protocol's 30 s.
   * An interactive tool may cap it lower, so a person is not left waiting
   * after an outage; a crowd of clients should keep the default.
   */
  reconnectDelayMaxMs?: number;
  /** Time between application-level pings; default 25 s. */
  heartbeatIntervalMs?: number;
  /** Silence after which the connection counts as dead and is replaced; default 60 s. */
  idleTimeoutMs?: number;
  /**
   * False makes a send-only connection: stream events are neither surfaced
   * nor acked, so the device still receives them on its next connection.
   * Default true.
   */
  receiveEvents?: boolean;
  /** Time for typing indicators (expiry, throttling); default the system clock. */
  clock?: Clock;
  /** A received typing indicator not refreshed within this long counts as stopped; default 6 s. */
  typingExpiryMs?: number;
  /** While the user keeps typing, a start frame goes out at most this often; default 3 s. */
  typingRefreshIntervalMs?: number;
  /** Newest messages per conversation a resync fetches; default 50. */
  resyncPerConversation?: number;
  /** Stream frames held while history is fetched; past it the connection is replaced afterwards. Default 10,000. */
  heldFramesMax?: number;
  /** The fetch for HTTP calls (`client.api`); default the global one. */
  fetch?: typeof globalThis.fetch;
}

/** Options of `pullHistory`. */
export interface PullHistoryOptions {
  /** How many of the newest messages of each conversation to fetch; default 50, at most 1,000. */
  perConversation?: number;
}
