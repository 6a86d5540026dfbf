import type { Clock } from '../clock/clock.js';
import { postToUserEndpoint } from './post-to-user-endpoint.js';
import type { PushTarget } from '../chat/push-model.js';
import type { PushNotification, PushOutcome, PushProvider } from './push-provider.js';
import type { Resolve } from './safe-address.js';
import { signWebhook, webhookSignatureHeader, webhookTimestampHeader } from './webhook-signature.js';

type WebhookTarget = Extract<PushTarget, { provider: 'webhook' }>;

export interface WebhookProviderOptions {
  /** PARLEY_WEBHOOK_SECRET: receivers verify the signature with it. */
  secret: string;
  allowPrivate: boolean;
  requestTimeoutMs: number;
  clock: Clock;
  resolve?: Resolve;
}

/** What a webhook receives, as JSON. */
export interface WebhookPayload {
  type: 'message';
  /** The notification id: the same on a retry, so a receiver can drop a repeat. */
  id: string;
  user: string;
  device: string;
  conversation: string;
  count: number;
  seq: number;
  badge: number;
  title?: string;
  body?: string;
}

/**
 * Generic webhook: a signed JSON POST to a URL the user registered (a
 * UnifiedPush distributor, a home server). The URL passes the SSRF rule at
 * every send, and the request goes to the address that was checked.
 */
export class WebhookProvider implements PushProvider<WebhookTarget> {
  readonly name = 'webhook';

  constructor(private readonly options: WebhookProviderOptions) {}

  async send(target: WebhookTarget, notification: PushNotification): Promise<PushOutcome> {
    const { clock, allowPrivate } = this.options;
    const body = JSON.stringify(webhookPayload(notification));
    const timestampSeconds = Math.floor(clock.now() / 1000);
    return postToUserEndpoint({
      endpoint: target.url,
      allowPrivate,
      resolve: this.options.resolve,
      timeoutMs: this.options.requestTimeoutMs,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Parley-Push/1',
        'x-parley-delivery': notification.id,
        [webhookTimestampHeader]: String(timestampSeconds),
        [webhookSignatureHeader]: signWebhook(this.options.secret, timestampSeconds, body),
      },
      nowMs: clock.now(),
    });
  }

  async close(): Promise<void> {}
}

function webhookPayload(notification: PushNotification): WebhookPayload {
  return {
    type: 'message',
    id: notification.id,
    user: notification.userId,
    device: notification.deviceId,
    conversation: notification.conversationId,
    count: notification.count,
    seq: notification.newestSeq,
    badge: notification.badge,
    ...(notification.alert === undefined ? {} : { title: notification.alert.title, body: notification.alert.body }),
  };
}
