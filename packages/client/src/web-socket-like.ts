/**
 * A handler type checked bivariantly, so both the DOM `WebSocket` (whose
 * handlers take a DOM `MessageEvent`) and `ws` (its own event classes) fit.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the WebSocket API the client uses: the DOM's and `ws`'s common ground. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `readyState` of an open socket, the same number in every implementation. */
export const SOCKET_OPEN = 1;

/**
 * The WebSocket endpoint of a server given by its http(s) base URL. With the
 * user's id it carries `?user=<id>`: a load balancer in front of several
 * nodes routes on it, so one user's devices meet on one node (browsers cannot
 * set headers on a WebSocket). A routing hint only: the token says who it is.
 */
export function webSocketUrlOf(baseUrl: string, user?: string): string {
  const url = new URL(baseUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`server URL must be http(s) or ws(s): ${baseUrl}`);
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/ws`;
  url.search = '';
  url.hash = '';
  if (user !== undefined) url.searchParams.set('user', user);
  return url.toString();
}
