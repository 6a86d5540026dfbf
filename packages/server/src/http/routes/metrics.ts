import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { ParleyError } from '../../chat/parley-error.js';
import { carriesMetricsToken } from '../metrics-token.js';

/**
 * Prometheus text exposition of the process's counters and gauges, behind
 * the bearer token when one is set (`--metrics-token`).
 */
export function metricsRoutes(app: FastifyInstance, metrics: Registry, token: string | undefined): void {
  app.get('/metrics', async (request, reply) => {
    if (!carriesMetricsToken(request.headers.authorization, token)) {
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new ParleyError('unauthorized', 'the metrics need the bearer token set with --metrics-token');
    }
    const text = await metrics.metrics();
    return reply.header('content-type', metrics.contentType).send(text);
  });
}
