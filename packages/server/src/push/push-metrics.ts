import { Counter, type Registry } from 'prom-client';

/** Push counters, registered on the server's one registry (see `lib/server-metrics.ts`), by `app.ts`. */
export function createPushMetrics(registry: Registry) {
  const registers = [registry];
  return {
    sent: new Counter({
      name: 'parley_push_sent_total',
      help: 'Notifications the push service accepted, by provider',
      labelNames: ['provider'],
      registers,
    }),
    failed: new Counter({
      name: 'parley_push_failed_total',
      help: 'Notifications given up: refused for good, out of attempts, or provider not configured',
      labelNames: ['provider', 'reason'],
      registers,
    }),
    retried: new Counter({
      name: 'parley_push_retried_total',
      help: 'Notifications put back for a later attempt (5xx, 429, network), by provider',
      labelNames: ['provider'],
      registers,
    }),
    deduplicated: new Counter({
      name: 'parley_push_deduplicated_total',
      help: 'Notifications not sent because the device already had the messages: acked past them, or online',
      labelNames: ['reason'],
      registers,
    }),
    coalesced: new Counter({
      name: 'parley_push_coalesced_total',
      help: 'Messages folded into a notification for a newer message of the same conversation',
      registers,
    }),
    tokensRemoved: new Counter({
      name: 'parley_push_tokens_removed_total',
      help: 'Registrations removed because the push service said the token or endpoint is gone',
      labelNames: ['provider'],
      registers,
    }),
    muted: new Counter({
      name: 'parley_push_muted_total',
      help: 'Due notifications dropped because the conversation was muted after the messages were queued',
      registers,
    }),
  };
}

export type PushMetrics = ReturnType<typeof createPushMetrics>;
