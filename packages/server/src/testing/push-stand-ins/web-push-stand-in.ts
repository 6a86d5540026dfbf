import { createECDH, createPublicKey, randomBytes, type ECDH } from 'node:crypto';
import type { WebPushPayload } from '../../push/web-push-provider.js';
import { HttpStandIn, type StandInRequest, type StandInResponse } from './http-stand-in.js';
import { verifyJwt, type StandInClock } from './jwt-parts.js';
import { decryptWebPush } from './web-push-decrypt.js';

interface Subscriber {
  name: string;
  keys: ECDH;
  authSecret: Buffer;
}

/** A VAPID token may live 24 hours at most (RFC 8292 §2). */
const vapidLifetimeMaxSeconds = 24 * 60 * 60;

/**
 * A browser push service: subscriptions made here, and an endpoint per
 * subscription that checks the VAPID token (ES256 with the `k` key, aud =
 * the endpoint's origin, exp within 24 h, sub) and the headers, then decrypts
 * the aes128gcm body with the subscription's private key.
 */
export class WebPushStandIn {
  readonly delivered: { subscriber: string; topic: string | undefined; payload: WebPushPayload }[] = [];
  readonly problems: string[] = [];
  /** The server's VAPID public key, once known: every token must carry it. */
  expectedVapidKey: string | undefined;
  private readonly subscribers = new Map<string, Subscriber>();

  private constructor(
    readonly http: HttpStandIn,
    private readonly now: StandInClock,
  ) {}

  static async start(now: StandInClock): Promise<WebPushStandIn> {
    // The handlers run only once the instance below exists.
    const late: { standIn?: WebPushStandIn } = {};
    const http = await HttpStandIn.start({
      check: (request) => late.standIn?.check(request),
      accept: (request) => late.standIn?.accept(request) ?? { status: 500 },
    });
    late.standIn = new WebPushStandIn(http, now);
    return late.standIn;
  }

  /** A new subscription, as `PushSubscription.toJSON()` gives it. */
  subscribe(name: string): { endpoint: string; keys: { p256dh: string; auth: string } } {
    const keys = createECDH('prime256v1');
    keys.generateKeys();
    const authSecret = randomBytes(16);
    const id = randomBytes(8).toString('hex');
    this.subscribers.set(id, { name, keys, authSecret });
    return {
      endpoint: `${this.http.url}/push/${id}`,
      keys: { p256dh: keys.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
    };
  }

  private check(request: StandInRequest): StandInResponse | undefined {
    try {
      if (request.method !== 'POST') throw new Error(`method ${request.method}`);
      if (this.subscriberOf(request) === undefined) return { status: 404 };
      if (request.headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding is not aes128gcm');
      if (!/^\d+$/.test(String(request.headers.ttl ?? ''))) throw new Error('TTL header missing');
      const topic = request.headers.topic;
      if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(String(topic))) throw new Error('Topic is not ≤32 base64url characters');
      this.checkVapid(request);
      this.decrypt(request);
      return undefined;
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      this.problems.push(problem);
      return { status: 400, body: problem };
    }
  }

  private accept(request: StandInRequest): StandInResponse {
    const subscriber = this.subscriberOf(request) as Subscriber;
    const payload = JSON.parse(this.decrypt(request).toString('utf8')) as WebPushPayload;
    const topic = request.headers.topic;
    this.delivered.push({ subscriber: subscriber.name, topic: typeof topic === 'string' ? topic : undefined, payload });
    return { status: 201, headers: { location: `${this.http.url}/messages/${this.delivered.length}` } };
  }

  private checkVapid(request: StandInRequest): void {
    const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(request.headers.authorization ?? '');
    if (match?.[1] === undefined || match[2] === undefined) throw new Error('Authorization is not "vapid t=…, k=…"');
    if (this.expectedVapidKey !== undefined && match[2] !== this.expectedVapidKey) throw new Error('k is not the server VAPID key');
    const point = Buffer.from(match[2], 'base64url');
    if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    const { claims } = verifyJwt(match[1], 'ES256', key);
    if (claims.aud !== this.http.url) throw new Error(`aud ${String(claims.aud)} is not the endpoint origin`);
    const exp = Number(claims.exp);
    const nowSeconds = this.now() / 1000;
    if (!(exp > nowSeconds && exp <= nowSeconds + vapidLifetimeMaxSeconds)) throw new Error('exp is not within 24 hours');
    if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new Error('sub is not mailto: or https:');
  }

  private decrypt(request: StandInRequest): Buffer {
    const subscriber = this.subscriberOf(request) as Subscriber;
    return decryptWebPush(request.body, subscriber.keys, subscriber.authSecret);
  }

  private subscriberOf(request: StandInRequest): Subscriber | undefined {
    const id = /^\/push\/([0-9a-f]+)$/.exec(request.path)?.[1];
    return id === undefined ? undefined : this.subscribers.get(id);
  }
}
