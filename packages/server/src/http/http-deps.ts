import type { PushProvidersView } from '@parley/protocol';
import type { ChatContext } from '../chat/chat-context.js';
import type { Presence } from '../chat/presence.js';
import type { RegistrationMode } from '../chat/register-account.js';
import type { PushPolicy } from '../chat/push-policy.js';
import type { KeyedRateLimiter } from '../lib/keyed-rate-limiter.js';
import type { ServerMetrics } from '../lib/server-metrics.js';

/** What the route plugins use, handed over by `app.ts`. */
export interface HttpDeps {
  chat: ChatContext;
  /** Registrations and logins per client IP. */
  authLimiter: KeyedRateLimiter;
  /** Link codes per user. */
  linkCodeLimiter: KeyedRateLimiter;
  linkCodeTtlMs: number;
  /** Who may create an account (`--registration`). */
  registration: RegistrationMode;
  /** Behind a trusted proxy the client address comes from X-Forwarded-For (see edge/client-address.ts). */
  trustProxy: boolean;
  metrics: ServerMetrics;
  /** The gateway's presence: a new direct conversation introduces its two users. */
  presence: Pick<Presence, 'introduce'>;
  /** What the server can push with, for `GET /v1/push`. */
  pushProviders: PushProvidersView;
  /** Which push registrations are accepted: the providers on, the SSRF rule for user-supplied endpoints. */
  pushPolicy: PushPolicy;
  /**
   * `draining` once shutdown has begun (SIGTERM: the load balancer must stop
   * sending users here), `disk_full` while the data's file system is nearly
   * full, `storage_unavailable` while the store cannot write.
   */
  readiness: () => Promise<'ready' | 'draining' | 'disk_full' | 'storage_unavailable'>;
  /** This node's name among several (`nodeName`), told in `/readyz`; undefined: not told. */
  nodeName: string | undefined;
}
