import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { carriesMetricsToken } from './metrics-token.js';

/**
 * `/metrics` on its own address (`--metrics-port`), so a firewall or the
 * host choice (127.0.0.1 by default) keeps it off the public port; the
 * public port then has no `/metrics` at all. Plain HTTP: it is meant for a
 * private network. Nothing else is served here.
 */
export function createMetricsServer(metrics: Registry, token: string | undefined): Server {
  return createServer((request, response) => {
    const reply = (status: number, body: string, type = 'application/json') => response.writeHead(status, { 'content-type': type }).end(body);
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      reply(404, JSON.stringify({ error: { code: 'not_found', message: 'only GET /metrics is served here' } }));
      return;
    }
    if (!carriesMetricsToken(request.headers.authorization, token)) {
      response.setHeader('www-authenticate', 'Bearer realm="metrics"');
      reply(401, JSON.stringify({ error: { code: 'unauthorized', message: 'the metrics need the bearer token set with --metrics-token' } }));
      return;
    }
    metrics.metrics().then(
      (text) => reply(200, text, metrics.contentType),
      () => reply(500, JSON.stringify({ error: { code: 'internal', message: 'could not collect the metrics' } })),
    );
  });
}
