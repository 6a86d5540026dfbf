/**
 * The composition root: picks the adapters, wires the ports into the core and
 * the edges, and owns the lifecycle. The only file that knows every module.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { defaultLimits } from '@parley/protocol';
import { MemoryBus } from './bus/memory-bus.js';
import type { ChatContext } from './chat/chat-context.js';
import { SystemClock, type Clock } from './clock/clock.js';
import type { Config } from './config.js';
import { WebSocketGateway } from './gateway/websocket-gateway.js';
import { createHttpServer } from './http/http-server.js';
import { KeyedRateLimiter } from './lib/keyed-rate-limiter.js';
import { createServerMetrics } from './lib/server-metrics.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
}

export interface App {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:8080`. */
  listen(): Promise<string>;
  /** Stops accepting, closes sockets with 1001, drains the store. */
  close(): Promise<void>;
  readonly logger: Logger;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? new SystemClock();
  mkdirSync(config.dataDir, { recursive: true });
  const store = SqliteStore.open(join(config.dataDir, 'parley.db'), { groupCommitMaxWrites: config.groupCommitMaxWrites });
  const bus = new MemoryBus();
  const chat: ChatContext = {
    store,
    bus,
    clock,
    limits: { ...config, historyPageMax: defaultLimits.historyPageMax },
  };

  const metrics = createServerMetrics();
  const gateway = new WebSocketGateway(chat, { ...config, pendingFramesMax: 64 }, logger, metrics);
  let ready = true;
  const http = createHttpServer(
    {
      chat,
      sessions: gateway.registry,
      authLimiter: new KeyedRateLimiter(clock, config.authRatePerMinute / 60, config.authBurst),
      linkCodeLimiter: new KeyedRateLimiter(clock, config.linkCodesPerMinute / 60, config.linkCodesPerMinute),
      linkCodeTtlMs: config.linkCodeTtlMs,
      metrics,
      isReady: () => ready,
    },
    config,
    logger,
  );
  gateway.attach(http.server);

  let closing: Promise<void> | undefined;
  return {
    logger,
    async listen() {
      await http.listen({ host: config.host, port: config.port });
      const address = http.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      logger.info({ host: config.host, port, dataDir: config.dataDir }, 'parley is listening');
      return `http://${host}:${port}`;
    },
    close() {
      closing ??= (async () => {
        ready = false;
        await gateway.close(config.shutdownGraceMs);
        await http.close();
        await bus.close();
        await store.close();
        logger.info('parley stopped');
      })();
      return closing;
    },
  };
}
