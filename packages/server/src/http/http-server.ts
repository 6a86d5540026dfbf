import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { handleError, handleNotFound } from './error-handler.js';
import type { HttpDeps } from './http-deps.js';
import { accountRoutes } from './routes/accounts.js';
import { conversationRoutes } from './routes/conversations.js';
import { deviceRoutes } from './routes/devices.js';
import { healthRoutes } from './routes/health.js';
import { meRoutes } from './routes/me.js';
import { metricsRoutes } from './routes/metrics.js';
import { pushRoutes } from './routes/push.js';
import { nodeHeader } from '../edge/node-header.js';
import type { OriginPolicy } from '../edge/origin-policy.js';
import { capSocketsPerAddress } from './socket-cap.js';
import { readSecureContext, type TlsFiles } from './tls-options.js';
import { webAppRoutes } from './web-app-routes.js';

export interface HttpOptions {
  maxHttpBodyBytes: number;
  maxHeaderBytes: number;
  headersTimeoutMs: number;
  /** TCP connections per client address (ignored behind a proxy, where every connection comes from it). */
  maxSocketsPerIp: number;
  trustProxy: boolean;
  /** Serve HTTPS (and so WSS) with these files; plain HTTP without. */
  tls: TlsFiles | undefined;
  origins: OriginPolicy;
  /** Bearer token `/metrics` asks for; undefined: none. */
  metricsToken: string | undefined;
  /** With a port of its own, `/metrics` is not served on this server. */
  metricsPort: number | undefined;
  /** The built web app to serve at `/`. */
  webDir: string;
}

const hstsMaxAgeSeconds = 365 * 24 * 60 * 60;
const connectionsCheckingIntervalMaxMs = 1_000;

/**
 * The HTTP edge. The Node server is made here, not by Fastify, so header size
 * and handshake time are bounded for WebSocket upgrades too.
 */
export function createHttpServer(deps: HttpDeps, options: HttpOptions, logger: Logger): FastifyInstance {
  const app = Fastify<Server>({
    loggerInstance: logger as FastifyBaseLogger,
    // Requests are not logged one by one; failures are, by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.maxHttpBodyBytes,
    // One proxy hop: the address it appended, never what the client wrote before it.
    trustProxy: options.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    serverFactory: (handler) => createNodeServer(handler, options),
  });
  // Built once, here: @fastify/helmet built helmet's middleware again on every request, CSP parsing included.
  const securityHeaders = helmet({
    hsts: options.tls === undefined ? false : { maxAge: hstsMaxAgeSeconds, includeSubDomains: true },
    // Over plain HTTP (a laptop, a LAN) the web app's own requests must not be upgraded to an HTTPS that is not there.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: options.tls === undefined ? null : [] } },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));
  void app.register(cors, {
    origin: (_origin, callback) => callback(null, true),
    delegator: (request, callback) => callback(null, { origin: options.origins.allows(request.raw), credentials: false }),
  });
  const nodeName = deps.nodeName;
  if (nodeName !== undefined) {
    app.addHook('onRequest', async (_request, reply) => {
      reply.header(nodeHeader, nodeName);
    });
  }
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  healthRoutes(app, deps);
  accountRoutes(app, deps);
  meRoutes(app, deps);
  deviceRoutes(app, deps);
  conversationRoutes(app, deps);
  pushRoutes(app, deps);
  if (options.metricsPort === undefined) metricsRoutes(app, deps.metrics.registry, options.metricsToken);
  const webFiles = webAppRoutes(app, options.webDir);
  if (webFiles === 0) logger.warn({ webDir: options.webDir }, 'the web app is not built (npm run build): / is not served');
  return app;
}

function createNodeServer(handler: RequestListener, options: HttpOptions): Server {
  const limits = {
    maxHeaderSize: options.maxHeaderBytes,
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: options.headersTimeoutMs * 3,
    // Node looks for expired headers only this often (30 s by default), which let a slow client stay three times the timeout.
    connectionsCheckingInterval: Math.min(connectionsCheckingIntervalMaxMs, Math.ceil(options.headersTimeoutMs / 4)),
  };
  const server =
    options.tls === undefined
      ? createServer(limits, handler)
      : // An https.Server is an http.Server to Fastify and ws; the cast only widens the type.
        (createSecureServer({ ...limits, ...readSecureContext(options.tls) }, handler) as unknown as Server);
  if (!options.trustProxy) capSocketsPerAddress(server, options.maxSocketsPerIp);
  return server;
}
