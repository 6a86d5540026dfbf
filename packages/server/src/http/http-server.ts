import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { handleError, handleNotFound } from './error-handler.js';
import type { HttpDeps } from './http-deps.js';
import { accountRoutes } from './routes/accounts.js';
import { conversationRoutes } from './routes/conversations.js';
import { deviceRoutes } from './routes/devices.js';
import { healthRoutes } from './routes/health.js';
import { meRoutes } from './routes/me.js';
import { metricsRoutes } from './routes/metrics.js';

export interface HttpLimits {
  maxHttpBodyBytes: number;
  maxHeaderBytes: number;
  headersTimeoutMs: number;
}

/**
 * The HTTP edge. The Node server is made here, not by Fastify, so header size
 * and handshake time are bounded for WebSocket upgrades too.
 */
export function createHttpServer(deps: HttpDeps, limits: HttpLimits, logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Requests are not logged one by one; failures are, by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.maxHttpBodyBytes,
    serverFactory: (handler) =>
      createServer(
        {
          maxHeaderSize: limits.maxHeaderBytes,
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.headersTimeoutMs * 3,
        },
        handler,
      ),
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  healthRoutes(app, deps);
  accountRoutes(app, deps);
  meRoutes(app, deps);
  deviceRoutes(app, deps);
  conversationRoutes(app, deps);
  metricsRoutes(app, deps.metrics.registry);
  return app;
}
