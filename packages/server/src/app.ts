/**
 * The composition root: picks the adapters, wires the ports into the core and
 * the edges, and owns the lifecycle. The only file that knows every module.
 */
import { statfs } from 'node:fs/promises';
import type { Server as SecureServer } from 'node:https';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { defaultLimits } from '@parley/protocol';
import type { ChatContext } from './chat/chat-context.js';
import { SystemClock, type Clock } from './clock/clock.js';
import type { Config } from './config.js';
import { WebSocketGateway } from './gateway/websocket-gateway.js';
import { createHttpServer } from './http/http-server.js';
import { LoginThrottle } from './http/login-throttle.js';
import { OriginPolicy } from './edge/origin-policy.js';
import { readSecureContext, type TlsFiles } from './http/tls-options.js';
import { KeyedRateLimiter } from './lib/keyed-rate-limiter.js';
import { createServerMetrics } from './lib/server-metrics.js';
import { openBus } from './open-bus.js';
import { openStore } from './open-store.js';
import { createPush, type Push } from './push/create-push.js';
import { createPushMetrics } from './push/push-metrics.js';

const clockWatchIntervalMs = 60_000;

/** How long `/readyz` waits for its test write after a storage failure before answering not ready. */
const writeProbeTimeoutMs = 1_000;

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
}

export interface App {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(): Promise<string>;
  /** Stops accepting, closes sockets with 1001, drains the store. */
  close(): Promise<void>;
  /** Rereads the TLS certificate and key (on SIGHUP). False when TLS is off. */
  reloadTls(): boolean;
  /** Sends the push notifications due now and resolves when done (the dispatcher also polls by itself); for tests on a FakeClock. */
  deliverDuePushes(): Promise<void>;
  readonly logger: Logger;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? new SystemClock();
  const tls: TlsFiles | undefined = tlsFilesOf(config);
  const metrics = createServerMetrics();
  metrics.storeWritable.set(1);
  const bus = await openBus(config);
  const store = await openStore(config, {
    onWritableChange(failure) {
      metrics.storeWritable.set(failure === undefined ? 1 : 0);
      if (failure === undefined) logger.info('the store can write again');
      else logger.error({ err: failure }, 'the store cannot write: answering unavailable and not ready until a write succeeds');
    },
    onUnreadableMessage(conversationId, seq, error) {
      metrics.unreadableMessages.inc();
      logger.error({ err: error, conversationId, seq }, 'a message body cannot be decrypted; it is served as unreadable');
    },
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
    push = createPush(config, { store, bus, clock, logger, metrics: createPushMetrics(metrics.registry) });
    http = createHttpServer(
      {
        chat,
        authLimiter: new KeyedRateLimiter(clock, config.authRatePerMinute / 60, config.authBurst),
        loginThrottle: new LoginThrottle(clock, config.loginFailuresFree),
        linkCodeLimiter: new KeyedRateLimiter(clock, config.linkCodesPerMinute / 60, config.linkCodesPerMinute),
        linkCodeTtlMs: config.linkCodeTtlMs,
        trustProxy: config.trustProxy,
        metrics,
        pushProviders: push.policy.view(),
        pushPolicy: push.policy,
        readiness: async () => {
          if (!ready) return 'shutting_down';
          if ((await freeDiskBytes(config.dataDir)) < config.readyDiskFreeBytesMin) return 'disk_full';
          return (await store.canWrite(writeProbeTimeoutMs)) ? 'ready' : 'storage_unavailable';
        },
      },
      { ...config, tls, origins },
      logger,
    );
  } catch (error) {
    await push?.close();
    await bus.close();
    await store.close();
    throw error;
  }
  gateway.attach(http.server);
  const clockWatch = watchClockSteps(clock, config.clockStepToleranceMs, logger);

  let closing: Promise<void> | undefined;
  return {
    logger,
    async listen() {
      await http.listen({ host: config.host, port: config.port, backlog: config.listenBacklog });
      const address = http.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      const scheme = tls === undefined ? 'http' : 'https';
      logger.info({ host: config.host, port, scheme, dataDir: config.dataDir }, 'parley is listening');
      return `${scheme}://${host}:${port}`;
    },
    deliverDuePushes: () => push.dispatcher.deliverDue(),
    reloadTls() {
      if (tls === undefined) return false;
      // Existing connections keep their session; new handshakes use the new certificate.
      (http.server as unknown as SecureServer).setSecureContext(readSecureContext(tls));
      logger.info('TLS certificate reloaded');
      return true;
    },
    close() {
      closing ??= (async () => {
        ready = false;
        clearInterval(clockWatch);
        await gateway.close(config.shutdownGraceMs);
        await http.close();
        await push.close();
        await bus.close();
        await store.close();
        logger.info('parley stopped');
      })();
      return closing;
    },
  };
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

async function freeDiskBytes(directory: string): Promise<number> {
  const stats = await statfs(directory);
  return stats.bavail * stats.bsize;
}

function tlsFilesOf(config: Config): TlsFiles | undefined {
  if (config.tlsCert === undefined && config.tlsKey === undefined) return undefined;
  if (config.tlsCert === undefined || config.tlsKey === undefined) {
    throw new Error('Invalid configuration: TLS needs both tlsCert and tlsKey');
  }
  return { certPath: config.tlsCert, keyPath: config.tlsKey };
}
