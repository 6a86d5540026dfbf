import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's metrics, in one registry that `/metrics` exposes. Created by
 * `app.ts` and handed to whoever counts; no module-level registry, so two
 * servers in one process (tests) do not share counters.
 */
export function createServerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_process_' });
  return {
    registry,
    connections: new Gauge({ name: 'parley_connections', help: 'Open WebSocket connections', registers: [registry] }),
    messagesAccepted: new Counter({
      name: 'parley_messages_accepted_total',
      help: 'Messages committed and answered with sent',
      registers: [registry],
    }),
    framesRefused: new Counter({
      name: 'parley_frames_refused_total',
      help: 'Client frames answered with an error, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    closes: new Counter({
      name: 'parley_connections_closed_total',
      help: 'Connections closed by the server, by close code',
      labelNames: ['code'],
      registers: [registry],
    }),
    storeWritable: new Gauge({
      name: 'parley_store_writable',
      help: '1 while the store can write, 0 after a storage failure (disk full, lock held, I/O error) until a write succeeds',
      registers: [registry],
    }),
    unreadableMessages: new Counter({
      name: 'parley_unreadable_messages_total',
      help: 'Message rows whose body failed to decrypt, served as unreadable placeholders (counted once per read from disk)',
      registers: [registry],
    }),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
