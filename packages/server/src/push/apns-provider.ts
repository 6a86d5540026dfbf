import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock/clock.js';
import { ApnsProviderToken } from './apns-provider-token.js';
import { Http2Connections, type Http2Response } from './http2-post.js';
import type { PushTarget } from '../chat/push-model.js';
import { outcomeOfFailure } from './outcome-of-status.js';
import type { PushNotification, PushOutcome, PushProvider } from './push-provider.js';
import { parseRetryAfterMs } from './retry-after.js';

type ApnsTarget = Extract<PushTarget, { provider: 'apns' }>;

export interface ApnsProviderOptions {
  /** The .p8 signing key from the Apple developer account. */
  key: KeyObject;
  keyId: string;
  teamId: string;
  /** `https://api.push.apple.com` and `https://api.sandbox.push.apple.com` unless a test points them at a stand-in. */
  productionUrl: string;
  sandboxUrl: string;
  /** Extra trusted CA (PEM) for the APNs endpoint: a stand-in's self-signed certificate. */
  ca?: Buffer;
  requestTimeoutMs: number;
  clock: Clock;
}

/** APNs reasons that say the token will never work again for this app. */
const deadTokenReasons = new Set(['BadDeviceToken', 'DeviceTokenNotForTopic', 'Unregistered', 'ExpiredToken']);
const providerTokenReasons = new Set(['ExpiredProviderToken', 'InvalidProviderToken']);

/**
 * Apple Push Notification service over HTTP/2 with token-based auth: an
 * ES256 provider JWT in `authorization`, `POST /3/device/<token>`.
 * With text (preview `sender` or `full`) it is an `alert` push with the
 * badge; without (preview `none`) a `background` push that wakes the app to
 * sync (iOS throttles these and drops them for an app the user force-quit).
 */
export class ApnsProvider implements PushProvider<ApnsTarget> {
  readonly name = 'apns';
  private readonly providerToken: ApnsProviderToken;
  private readonly connections: Http2Connections;

  constructor(private readonly options: ApnsProviderOptions) {
    this.providerToken = new ApnsProviderToken(options.key, options.keyId, options.teamId, options.clock);
    this.connections = new Http2Connections(options.ca);
  }

  async send(target: ApnsTarget, notification: PushNotification): Promise<PushOutcome> {
    try {
      let response = await this.post(target, notification);
      if (response.status === 403 && providerTokenReasons.has(reasonOf(response))) {
        this.providerToken.invalidate();
        response = await this.post(target, notification);
      }
      return this.outcomeOf(response);
    } catch (error) {
      return outcomeOfFailure(error);
    }
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  private post(target: ApnsTarget, notification: PushNotification): Promise<Http2Response> {
    const { options } = this;
    const origin = target.environment === 'production' ? options.productionUrl : options.sandboxUrl;
    const alert = notification.alert !== undefined;
    const headers = {
      ':path': `/3/device/${target.token}`,
      authorization: `bearer ${this.providerToken.current()}`,
      'apns-topic': target.topic,
      'apns-push-type': alert ? 'alert' : 'background',
      // Background pushes must go at priority 5; APNs refuses 10 for them.
      'apns-priority': alert ? '10' : '5',
      'apns-collapse-id': notification.collapseKey,
      'apns-expiration': String(notification.expiresAtSeconds),
      'content-type': 'application/json',
    };
    return this.connections.post(new URL(origin).origin, headers, JSON.stringify(apnsPayload(notification)), options.requestTimeoutMs);
  }

  private outcomeOf(response: Http2Response): PushOutcome {
    const { status } = response;
    if (status === 200) return { kind: 'delivered' };
    const reason = reasonOf(response);
    const described = `APNs ${status} ${reason}`.trim();
    if (status === 410 || deadTokenReasons.has(reason)) return { kind: 'unregistered', reason: described };
    if (status === 429 || status >= 500 || providerTokenReasons.has(reason)) {
      const retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], this.options.clock.now());
      return { kind: 'retry', reason: described, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    return { kind: 'rejected', reason: described };
  }
}

function apnsPayload(notification: PushNotification): object {
  const custom = { id: notification.id, conversation: notification.conversationId, count: notification.count, seq: notification.newestSeq };
  if (notification.alert === undefined) return { aps: { 'content-available': 1 }, ...custom };
  return {
    aps: {
      alert: notification.alert,
      badge: notification.badge,
      sound: 'default',
      'thread-id': notification.collapseKey,
      // Lets a notification service extension rewrite the text after syncing.
      'mutable-content': 1,
    },
    ...custom,
  };
}

function reasonOf(response: Http2Response): string {
  try {
    const parsed = JSON.parse(response.body) as { reason?: unknown };
    return typeof parsed.reason === 'string' ? parsed.reason : '';
  } catch {
    return '';
  }
}
