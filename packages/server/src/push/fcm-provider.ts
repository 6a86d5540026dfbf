import type { Clock } from '../clock/clock.js';
import { GoogleAccessToken } from './google-access-token.js';
import { httpPost, type PostResponse } from './http-post.js';
import type { PushTarget } from '../chat/push-model.js';
import { outcomeOfFailure } from './outcome-of-status.js';
import type { PushNotification, PushOutcome, PushProvider } from './push-provider.js';
import { parseRetryAfterMs } from './retry-after.js';
import type { ServiceAccount } from './service-account.js';
import { webPushTopic } from './web-push-topic.js';

type FcmTarget = Extract<PushTarget, { provider: 'fcm' }>;

export interface FcmProviderOptions {
  account: ServiceAccount;
  /** `https://fcm.googleapis.com` unless a test points it at a stand-in. */
  baseUrl: string;
  requestTimeoutMs: number;
  clock: Clock;
}

/** FCM error codes that say the token will never work again for this project. */
const deadTokenCodes = new Set(['UNREGISTERED', 'SENDER_ID_MISMATCH']);

/**
 * Firebase Cloud Messaging, HTTP v1 API: `POST /v1/projects/{id}/messages:send`
 * with an OAuth2 bearer token from the service account. Values of `data`
 * must be strings (FCM refuses anything else).
 */
export class FcmProvider implements PushProvider<FcmTarget> {
  readonly name = 'fcm';
  private readonly accessToken: GoogleAccessToken;
  private readonly sendUrl: URL;

  constructor(private readonly options: FcmProviderOptions) {
    this.accessToken = new GoogleAccessToken(options.account, options.clock, options.requestTimeoutMs);
    this.sendUrl = new URL(`/v1/projects/${encodeURIComponent(options.account.projectId)}/messages:send`, options.baseUrl);
  }

  async send(target: FcmTarget, notification: PushNotification): Promise<PushOutcome> {
    const body = JSON.stringify({ message: fcmMessage(target.token, notification, this.options.clock.now()) });
    try {
      let response = await this.post(body);
      if (response.status === 401) {
        // The cached token was revoked or expired early: one more try with a fresh one.
        this.accessToken.invalidate();
        response = await this.post(body);
      }
      return this.outcomeOf(response);
    } catch (error) {
      return outcomeOfFailure(error);
    }
  }

  async close(): Promise<void> {}

  private async post(body: string): Promise<PostResponse> {
    const token = await this.accessToken.get();
    return httpPost({
      url: this.sendUrl,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body,
      timeoutMs: this.options.requestTimeoutMs,
    });
  }

  private outcomeOf(response: PostResponse): PushOutcome {
    const { status } = response;
    if (status === 200) return { kind: 'delivered' };
    const error = fcmError(response.body);
    const reason = `FCM ${status} ${error.status} ${error.errorCode ?? ''} ${error.message}`.trim();
    if (status === 404 || (error.errorCode !== undefined && deadTokenCodes.has(error.errorCode))) return { kind: 'unregistered', reason };
    if (status === 429 || status >= 500 || status === 401) {
      const retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], this.options.clock.now());
      return { kind: 'retry', reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    return { kind: 'rejected', reason };
  }
}

/** The v1 message: data for the app always; visible parts only when the preview setting gives text. */
function fcmMessage(token: string, notification: PushNotification, nowMs: number): object {
  const ttlSeconds = Math.max(0, notification.expiresAtSeconds - Math.floor(nowMs / 1000));
  const data = {
    type: 'message',
    id: notification.id,
    conversation: notification.conversationId,
    count: String(notification.count),
    seq: String(notification.newestSeq),
    badge: String(notification.badge),
  };
  const { alert, collapseKey } = notification;
  return {
    token,
    data,
    ...(alert === undefined ? {} : { notification: { title: alert.title, body: alert.body } }),
    android: {
      collapse_key: collapseKey,
      priority: 'high',
      ttl: `${ttlSeconds}s`,
      ...(alert === undefined ? {} : { notification: { tag: collapseKey, notification_count: notification.badge } }),
    },
    apns: {
      headers: { 'apns-collapse-id': collapseKey, 'apns-priority': alert === undefined ? '5' : '10' },
      payload: { aps: alert === undefined ? { 'content-available': 1 } : { badge: notification.badge, 'thread-id': collapseKey } },
    },
    webpush: { headers: { Topic: webPushTopic(collapseKey), TTL: String(ttlSeconds) } },
  };
}

interface FcmErrorBody {
  status: string;
  message: string;
  errorCode?: string;
}

function fcmError(body: string): FcmErrorBody {
  try {
    const parsed = JSON.parse(body) as { error?: { status?: unknown; message?: unknown; details?: unknown } };
    const error = parsed.error ?? {};
    const details = Array.isArray(error.details) ? (error.details as { errorCode?: unknown }[]) : [];
    const errorCode = details.map((detail) => detail.errorCode).find((code): code is string => typeof code === 'string');
    return {
      status: typeof error.status === 'string' ? error.status : '',
      message: typeof error.message === 'string' ? error.message : '',
      ...(errorCode === undefined ? {} : { errorCode }),
    };
  } catch {
    return { status: '', message: body.slice(0, 200) };
  }
}
