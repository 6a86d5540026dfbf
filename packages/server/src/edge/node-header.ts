/**
 * The response header that names the node which answered (`nodeName`), on
 * HTTP responses and WebSocket handshakes alike: behind a load balancer it is
 * how an operator, or a test, sees where a user was routed.
 */
export const nodeHeader = 'X-Parley-Node';
