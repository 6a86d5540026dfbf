import type { IncomingMessage } from 'node:http';

/**
 * The client's address, as both edges count it (HTTP's auth throttles, the
 * WebSocket handshake and connection caps). Behind a trusted proxy it is the
 * last address the proxy appended to X-Forwarded-For (earlier entries are the
 * client's own claims); otherwise the socket's peer, and the header is ignored.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const header = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = header?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
