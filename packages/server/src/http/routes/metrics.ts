import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** Prometheus text exposition of the process's counters and gauges. */
export function metricsRoutes(app: FastifyInstance, metrics: Registry): void {
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.metrics();
    return reply.header('content-type', metrics.contentType).send(text);
  });
}
