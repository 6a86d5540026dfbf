import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../http-deps.js';

export function healthRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (!deps.isReady()) return reply.status(503).send({ status: 'shutting_down' });
    return { status: 'ready' };
  });
}
