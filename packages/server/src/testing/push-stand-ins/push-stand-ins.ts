import { randomBytes } from 'node:crypto';
import type { PushRegistrationRequest } from '@parley/protocol';
import type { ConfigInput } from '../../config.js';
import type { PushProviderName } from '../../chat/push-model.js';
import { ApnsStandIn, apnsKeyId, apnsTeamId, apnsTopic } from './apns-stand-in.js';
import { FcmStandIn, fcmUnavailable, fcmUnregistered } from './fcm-stand-in.js';
import { WebhookStandIn } from './webhook-stand-in.js';
import type { StandInClock } from './jwt-parts.js';
import { WebPushStandIn } from './web-push-stand-in.js';

/** A notification as any stand-in saw it, reduced to what every provider carries. */
export interface Seen {
  conversation: string;
  count: number;
  seq: number;
  /** The token, endpoint or hook it went to. */
  to: string;
}

export const webhookSecret = 'stand-in-webhook-secret';

/** The four stand-ins together, with what each scenario needs from them in one shape. */
export class PushStandIns {
  private constructor(
    readonly apns: ApnsStandIn,
    readonly fcm: FcmStandIn,
    readonly webPush: WebPushStandIn,
    readonly webhook: WebhookStandIn,
  ) {}

  static async start(dir: string, now: StandInClock): Promise<PushStandIns> {
    return new PushStandIns(
      await ApnsStandIn.start(dir, now),
      await FcmStandIn.start(dir, now),
      await WebPushStandIn.start(now),
      await WebhookStandIn.start(webhookSecret, now),
    );
  }

  /** Server settings that point every provider at its stand-in; loopback endpoints need the private allowance. */
  config(): Partial<ConfigInput> {
    return {
      pushAllowPrivate: true,
      fcmServiceAccountFile: this.fcm.serviceAccountFile,
      fcmBaseUrl: this.fcm.url,
      apnsKeyFile: this.apns.keyFile,
      apnsKeyId,
      apnsTeamId,
      apnsProductionUrl: this.apns.url,
      apnsSandboxUrl: this.apns.url,
      apnsCaFile: this.apns.caFile,
      webhookSecret,
    };
  }

  /** A fresh registration body for one device. */
  registration(provider: PushProviderName, name: string): PushRegistrationRequest {
    switch (provider) {
      case 'fcm':
        return { provider, token: `fcm-${name}-${randomBytes(8).toString('hex')}` };
      case 'apns':
        return { provider, token: randomBytes(32).toString('hex'), topic: apnsTopic, environment: 'sandbox' };
      case 'webpush':
        return { provider, ...this.webPush.subscribe(name) };
      case 'webhook':
        return { provider, url: this.webhook.urlFor(`${name}-${randomBytes(4).toString('hex')}`) };
    }
  }

  seen(provider: PushProviderName): Seen[] {
    switch (provider) {
      case 'fcm':
        return this.fcm.delivered.map((m) => ({ conversation: m.data.conversation ?? '', count: Number(m.data.count), seq: Number(m.data.seq), to: m.token }));
      case 'apns':
        return this.apns.delivered.map((d) => ({ conversation: d.payload.conversation, count: d.payload.count, seq: d.payload.seq, to: d.token }));
      case 'webpush':
        return this.webPush.delivered.map((d) => ({ conversation: d.payload.conversation, count: d.payload.count, seq: d.payload.seq, to: d.subscriber }));
      case 'webhook':
        return this.webhook.delivered.map((d) => ({ conversation: d.payload.conversation, count: d.payload.count, seq: d.payload.seq, to: d.path }));
    }
  }

  /** The next notification meets the answer the real service gives for a token or endpoint that is gone. */
  goneNext(provider: PushProviderName): void {
    if (provider === 'fcm') this.fcm.http.respondNext(fcmUnregistered, '/v1/');
    if (provider === 'apns') this.apns.respondNext(400, 'BadDeviceToken');
    if (provider === 'webpush') this.webPush.http.respondNext({ status: 410, body: 'push subscription has unsubscribed or expired' });
    if (provider === 'webhook') this.webhook.http.respondNext({ status: 410 });
  }

  /** The next notification meets a 503, with Retry-After: 1 where the service sends one. */
  unavailableNext(provider: PushProviderName): void {
    if (provider === 'fcm') this.fcm.http.respondNext(fcmUnavailable, '/v1/');
    if (provider === 'apns') this.apns.respondNext(503, 'ServiceUnavailable');
    if (provider === 'webpush') this.webPush.http.respondNext({ status: 503, headers: { 'retry-after': '1' } });
    if (provider === 'webhook') this.webhook.http.respondNext({ status: 503, headers: { 'retry-after': '1' } });
  }

  /** Every request that failed a stand-in's checks: a test expects none. */
  problems(): string[] {
    return [...this.apns.problems, ...this.fcm.problems, ...this.webPush.problems, ...this.webhook.problems];
  }

  async close(): Promise<void> {
    await Promise.all([this.apns.close(), this.fcm.http.close(), this.webPush.http.close(), this.webhook.http.close()]);
  }
}
