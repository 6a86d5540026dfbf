import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../http-deps.js';

export function healthRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const status = await deps.readiness();
    const node = deps.nodeName === undefined ? {} : { node: deps.nodeName };
    return reply.status(status === 'ready' ? 200 : 503).send({ status, ...node });
  });
}
