import webPush from 'web-push';
import type { Clock } from '../clock/clock.js';
import { postToUserEndpoint } from './post-to-user-endpoint.js';
import type { PushTarget } from '../chat/push-model.js';
import type { PushNotification, PushOutcome, PushProvider } from './push-provider.js';
import type { Resolve } from './safe-address.js';
import type { VapidKeys } from './vapid-keys.js';
import { webPushTopic } from './web-push-topic.js';

type WebPushTarget = Extract<PushTarget, { provider: 'webpush' }>;

export interface WebPushProviderOptions {
  vapid: VapidKeys;
  allowPrivate: boolean;
  requestTimeoutMs: number;
  clock: Clock;
  resolve?: Resolve;
}

/** What the service worker receives (decrypted), as JSON. */
export interface WebPushPayload {
  type: 'message';
  id: string;
  conversation: string;
  count: number;
  seq: number;
  badge: number;
  title?: string;
  body?: string;
}

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and an aes128gcm-encrypted
 * payload (RFC 8291). The `web-push` package builds the request (encryption,
 * VAPID header); it is sent here, to the address the SSRF check allowed,
 * since the endpoint is the browser's push service as the user supplied it.
 */
export class WebPushProvider implements PushProvider<WebPushTarget> {
  readonly name = 'webpush';

  constructor(private readonly options: WebPushProviderOptions) {}

  async send(target: WebPushTarget, notification: PushNotification): Promise<PushOutcome> {
    const { clock, allowPrivate, vapid } = this.options;
    let details: ReturnType<typeof webPush.generateRequestDetails>;
    try {
      details = webPush.generateRequestDetails(
        { endpoint: target.endpoint, keys: target.keys },
        JSON.stringify(webPushPayload(notification)),
        {
          vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
          contentEncoding: 'aes128gcm',
          TTL: Math.max(0, notification.expiresAtSeconds - Math.floor(clock.now() / 1000)),
          topic: webPushTopic(notification.collapseKey),
          urgency: 'high',
        },
      );
    } catch (error) {
      // Keys of the wrong length and the like: this subscription can never be sent to.
      return { kind: 'rejected', reason: error instanceof Error ? error.message : String(error) };
    }
    return postToUserEndpoint({
      endpoint: details.endpoint,
      allowPrivate,
      resolve: this.options.resolve,
      timeoutMs: this.options.requestTimeoutMs,
      headers: details.headers,
      body: details.body ?? Buffer.alloc(0),
      nowMs: clock.now(),
    });
  }

  async close(): Promise<void> {}
}

function webPushPayload(notification: PushNotification): WebPushPayload {
  return {
    type: 'message',
    id: notification.id,
    conversation: notification.conversationId,
    count: notification.count,
    seq: notification.newestSeq,
    badge: notification.badge,
    ...(notification.alert === undefined ? {} : { title: notification.alert.title, body: notification.alert.body }),
  };
}
