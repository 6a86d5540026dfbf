import { createApp } from './app.js';
import { loadConfig } from './config.js';

/**
 * `parley serve`: reads the configuration, starts the server and stops it
 * gracefully on SIGTERM or SIGINT (exit code 0 once the store is drained).
 * SIGTERM, what a service manager or an orchestrator sends, first drains for
 * `drainGraceMs` so the load balancer stops routing here before the sockets
 * close; SIGINT is a person at a terminal, with no load balancer to wait for.
 * SIGHUP rereads the TLS certificate without dropping connections.
 */
export async function runServer(argv: string[]): Promise<void> {
  const config = loadConfig(argv, process.env);
  const app = await createApp(config);
  const stop = (signal: NodeJS.Signals) => {
    app.logger.info({ signal }, 'shutting down');
    app.close({ drainGraceMs: signal === 'SIGTERM' ? config.drainGraceMs : 0 }).then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('SIGHUP', () => {
    try {
      app.reloadTls();
    } catch (error) {
      app.logger.error({ err: error }, 'TLS reload failed; the old certificate stays in use');
    }
  });
  await app.listen();
}
