/**
 * The composition root: picks the adapters, wires the ports into the core and
 * the edges, and owns the lifecycle. The only file that knows every module.
 */
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { Server as SecureServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createLogger } from './create-logger.js';
import { defaultLimits } from '@parley/protocol';
import type { ChatContext } from './chat/chat-context.js';
import { SystemClock, type Clock } from './clock/clock.js';
import { limitConflicts, type Config } from './config.js';
import { WebSocketGateway } from './gateway/websocket-gateway.js';
import { createHttpServer } from './http/http-server.js';
import { createMetricsServer } from './http/metrics-server.js';
import { OriginPolicy } from './edge/origin-policy.js';
import { readSecureContext, type TlsFiles } from './http/tls-options.js';
import { KeyedRateLimiter } from './lib/keyed-rate-limiter.js';
import { createServerMetrics } from './lib/server-metrics.js';
import { openBus } from './open-bus.js';
import { openStore, storeOf } from './open-store.js';
import { StorageWatch } from './storage-watch.js';
import { createPush, type Push } from './push/create-push.js';
import { createPushMetrics } from './push/push-metrics.js';

/** Where `npm run build` puts the web app: `packages/web/dist`, the same from `src/` and `dist/`. */
const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

const clockWatchIntervalMs = 60_000;

/** How long `/readyz` waits for its test write after a storage failure before answering not ready. */
const writeProbeTimeoutMs = 1_000;

/** How often the free space is measured, and the store test-written during an outage, when no one asks `/readyz`. */
const storageCheckIntervalMs = 1_000;

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Runs each sync of the store's write-ahead log, given the real one: tests hold syncs with it. */
  syncWal?: (fdatasync: () => Promise<void>) => Promise<void>;
}

export interface App {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(): Promise<string>;
  /**
   * Reports not ready (`/readyz` 503 `draining`) at once, keeps serving for
   * `drainGraceMs` (default 0) so the load balancer takes the node out first,
   * then stops accepting, closes sockets with 1001 and drains the store.
   */
  close(options?: { drainGraceMs?: number }): Promise<void>;
  /** Where `/metrics` is served when it has a port of its own (`metricsPort`), once listening. */
  metricsUrl(): string | undefined;
  /** Rereads the TLS certificate and key (on SIGHUP). False when TLS is off. */
  reloadTls(): boolean;
  /** Sends the push notifications due now and resolves when done (the dispatcher also polls by itself); for tests on a FakeClock. */
  deliverDuePushes(): Promise<void>;
  readonly logger: Logger;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat);
  const clock = options.clock ?? new SystemClock();
  const tls: TlsFiles | undefined = tlsFilesOf(config);
  for (const conflict of limitConflicts(config)) logger.warn(conflict);
  const metrics = createServerMetrics();
  metrics.storeWritable.set(1);
  const storage = new StorageWatch({
    dataDir: config.dataDir,
    freeBytesMin: config.readyDiskFreeBytesMin,
    checkIntervalMs: storageCheckIntervalMs,
    probeTimeoutMs: writeProbeTimeoutMs,
    onOutage(failure) {
      metrics.storeWritable.set(0);
      logger.error({ err: failure }, 'the store cannot write: answering unavailable and not ready until a write succeeds');
    },
    onRecovery() {
      metrics.storeWritable.set(1);
      logger.info('the store can write again');
    },
  });
  const bus = await openBus(config, logger);
  const store = await openStore(config, {
    onWritableChange(failure) {
      if (failure !== undefined) storage.writeFailed(failure);
    },
    onUnreadableMessage(conversationId, seq, error) {
      metrics.unreadableMessages.inc();
      logger.error({ err: error, conversationId, seq }, 'a message body cannot be decrypted; it is served as unreadable');
    },
    syncWal: options.syncWal,
  }).catch(async (error: unknown) => {
    await bus.close();
    throw error;
  });
  const chat: ChatContext = {
    store,
    bus,
    clock,
    limits: { ...config, historyPageMax: defaultLimits.historyPageMax },
  };

  const origins = new OriginPolicy(config.allowedOrigins, tls !== undefined);
  const gateway = new WebSocketGateway(chat, { ...config, origins, pendingFramesMax: 64 }, logger, metrics);
  let ready = true;
  let push: Push | undefined;
  let http: FastifyInstance;
  try {
    // Credential and certificate files are read here: a bad one must not leave the store open.
    push = createPush({ ...config, sharedStore: storeOf(config) === 'postgres' }, { store, bus, clock, logger, metrics: createPushMetrics(metrics.registry) });
    http = createHttpServer(
      {
        chat,
        authLimiter: new KeyedRateLimiter(clock, config.authRatePerMinute / 60, config.authBurst),
        linkCodeLimiter: new KeyedRateLimiter(clock, config.linkCodesPerMinute / 60, config.linkCodesPerMinute),
        linkCodeTtlMs: config.linkCodeTtlMs,
        registration: config.registration,
        trustProxy: config.trustProxy,
        metrics,
        presence: gateway.presence,
        pushProviders: push.policy.view(),
        pushPolicy: push.policy,
        nodeName: config.nodeName,
        readiness: async () => {
          if (!ready) return 'draining';
          return storage.check();
        },
      },
      { ...config, tls, origins, metricsToken: config.metricsToken, metricsPort: config.metricsPort, webDir: config.webDir ?? defaultWebDir },
      logger,
    );
  } catch (error) {
    await push?.close();
    await bus.close();
    await store.close();
    throw error;
  }
  gateway.attach(http.server);
  storage.watch(store);
  const metricsServer = config.metricsPort === undefined ? undefined : createMetricsServer(metrics.registry, config.metricsToken);
  let metricsUrl: string | undefined;
  const clockWatch = watchClockSteps(clock, config.clockStepToleranceMs, logger);

  let closing: Promise<void> | undefined;
  return {
    logger,
    async listen() {
      const scheme = tls === undefined ? 'http' : 'https';
      // The Node server is made by http-server.ts, so Fastify cannot tell it speaks TLS: it is told here.
      const listenTextResolver = (address: string) => `server listening at ${address.replace(/^https?:/, `${scheme}:`)}`;
      await http.listen({ host: config.host, port: config.port, backlog: config.listenBacklog, listenTextResolver });
      const address = http.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      logger.info({ host: config.host, port, scheme, dataDir: config.dataDir }, 'parley is listening');
      logger.info(dataLocations(config));
      if (metricsServer !== undefined) metricsUrl = await listenForMetrics(metricsServer, config.metricsHost, config.metricsPort ?? 0, logger);
      return `${scheme}://${host}:${port}`;
    },
    deliverDuePushes: () => push.dispatcher.deliverDue(),
    metricsUrl: () => metricsUrl,
    reloadTls() {
      if (tls === undefined) return false;
      // Existing connections keep their session; new handshakes use the new certificate.
      (http.server as unknown as SecureServer).setSecureContext(readSecureContext(tls));
      logger.info('TLS certificate reloaded');
      return true;
    },
    close({ drainGraceMs = 0 } = {}) {
      closing ??= (async () => {
        ready = false;
        if (drainGraceMs > 0) {
          logger.info({ drainGraceMs }, 'draining: /readyz answers 503 while the open sockets are still served');
          await new Promise((resolve) => setTimeout(resolve, drainGraceMs));
        }
        clearInterval(clockWatch);
        storage.stop();
        await gateway.close(config.shutdownGraceMs);
        await gateway.presence.recordLastSeen().catch((error: unknown) => logger.error({ err: error }, 'could not record last seen at shutdown'));
        await http.close();
        if (metricsServer?.listening) await new Promise((resolve) => metricsServer.close(resolve));
        await push.close();
        await bus.close();
        await store.close();
        logger.info('parley stopped');
      })();
      return closing;
    },
  };
}

/** Where the data and its key are, in one line a newcomer reads on the first screen. */
function dataLocations(config: Config): string {
  const dataDir = resolve(config.dataDir);
  const keyFile = resolve(config.masterKeyFile ?? join(config.dataDir, 'master.key'));
  return `data in ${dataDir}; master key in ${keyFile}: back the key up, apart from the data, since without it the messages cannot be read`;
}

/** Starts the metrics listener; resolves with its URL. */
async function listenForMetrics(server: Server, host: string, port: number, logger: Logger): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`;
  logger.info({ url }, 'metrics are served on their own address');
  return url;
}

/** Tells the operator once when the wall clock has been stepped: idle token expiry is suspended until a restart. */
function watchClockSteps(clock: Clock, toleranceMs: number, logger: Logger): NodeJS.Timeout {
  let told = false;
  const timer = setInterval(() => {
    const steppedMs = clock.steppedMs();
    if (told || Math.abs(steppedMs) <= toleranceMs) return;
    told = true;
    logger.warn({ steppedMs }, 'the wall clock was stepped: idle token expiry is suspended until a restart; check NTP');
  }, clockWatchIntervalMs);
  timer.unref();
  return timer;
}

function tlsFilesOf(config: Config): TlsFiles | undefined {
  if (config.tlsCert === undefined && config.tlsKey === undefined) return undefined;
  if (config.tlsCert === undefined || config.tlsKey === undefined) {
    throw new Error('Invalid configuration: TLS needs both --tls-cert (PARLEY_TLS_CERT) and --tls-key (PARLEY_TLS_KEY)');
  }
  return { certPath: config.tlsCert, keyPath: config.tlsKey };
}
