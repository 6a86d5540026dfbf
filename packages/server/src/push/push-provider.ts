/**
 * The PushProvider port: one adapter per push service (FCM HTTP v1, APNs,
 * Web Push, webhook), each speaking that service's real protocol.
 *
 * Guarantees every adapter gives:
 * - `send` never throws for what the service or the network did: it resolves
 *   with an outcome. A throw is a bug (and the dispatcher retries the job).
 * - `delivered` means the service accepted the notification (2xx).
 * - `unregistered` only when the service says the token, subscription or
 *   endpoint is gone for good: the registration is then deleted.
 * - `retry` for what may pass (5xx, 429, network errors, timeouts), with the
 *   service's `Retry-After` when it gave one.
 */
import type { PushProviderName, PushTarget } from '../chat/push-model.js';

/** What a device is told; the same for every provider, each maps it to its own payload. */
export interface PushNotification {
  /**
   * Stable for one batch of messages (device, conversation, newest seq): a
   * receiver may drop a second notification with the same id.
   */
  id: string;
  userId: string;
  deviceId: string;
  conversationId: string;
  /** New messages this notification stands for. */
  count: number;
  newestSeq: number;
  /** The same for every notification of a conversation, so the device shows one entry. */
  collapseKey: string;
  /** The user's unread messages over all conversations. */
  badge: number;
  /**
   * Visible text, by the `pushPreview` setting. Absent with `none`: the
   * notification is a wake-up carrying ids and a count, and the app fetches
   * the rest over its own connection.
   */
  alert?: { title: string; body: string };
  /** Seconds since the epoch after which the service may drop the notification. */
  expiresAtSeconds: number;
}

export type PushOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'unregistered'; reason: string }
  /** The service refused this notification for good (a 4xx that is not about the token): dropped. */
  | { kind: 'rejected'; reason: string };

export interface PushProvider<Target extends PushTarget = PushTarget> {
  readonly name: Target['provider'];
  send(target: Target, notification: PushNotification): Promise<PushOutcome>;
  /** Closes connections it keeps open (APNs keeps one HTTP/2 connection per environment). */
  close(): Promise<void>;
}

type TargetOf<Name extends PushProviderName> = Extract<PushTarget, { provider: Name }>;

/** The configured providers; a provider without credentials is absent. */
export type PushProviders = { [Name in PushProviderName]?: PushProvider<TargetOf<Name>> };

/** Sends with the provider the target names; undefined when that provider is not configured. */
export function sendWith(providers: PushProviders, target: PushTarget, notification: PushNotification): Promise<PushOutcome> | undefined {
  switch (target.provider) {
    case 'fcm':
      return providers.fcm?.send(target, notification);
    case 'apns':
      return providers.apns?.send(target, notification);
    case 'webpush':
      return providers.webpush?.send(target, notification);
    case 'webhook':
      return providers.webhook?.send(target, notification);
  }
}

export function enabledProviders(providers: PushProviders): PushProviderName[] {
  return (['fcm', 'apns', 'webpush', 'webhook'] as const).filter((name) => providers[name] !== undefined);
}
