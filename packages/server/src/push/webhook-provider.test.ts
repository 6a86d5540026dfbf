import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import type { PushNotification } from './push-provider.js';
import type { Resolve } from './safe-address.js';
import { HttpStandIn, type StandInRequest } from '../testing/push-stand-ins/http-stand-in.js';
import { WebhookProvider } from './webhook-provider.js';

const notification: PushNotification = {
  id: 'd_1:c_1:3',
  userId: 'u_1',
  deviceId: 'd_1',
  conversationId: 'c_1',
  count: 3,
  newestSeq: 3,
  collapseKey: 'c_1',
  badge: 3,
  expiresAtSeconds: 0,
};

/** A resolver for a made-up name: what DNS would answer at send time. */
const resolvingTo = (address: string): Resolve => async () => [{ address, family: 4 }];

describe('webhook sends and the SSRF rule at send time', () => {
  const servers: HttpStandIn[] = [];
  const received: StandInRequest[] = [];
  const receiver = async (answer: { status: number; headers?: Record<string, string> } = { status: 204 }) => {
    const server = await HttpStandIn.start({ check: () => undefined, accept: (request) => (received.push(request), answer) });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    received.length = 0;
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('connects to the address it checked, keeping the name in the Host header', async () => {
    const server = await receiver();
    const port = new URL(server.url).port;
    const provider = new WebhookProvider({ secret: 'x'.repeat(16), allowPrivate: true, requestTimeoutMs: 5_000, clock: new FakeClock(), resolve: resolvingTo('127.0.0.1') });
    expect(await provider.send({ provider: 'webhook', url: `http://hooks.example.test:${port}/in` }, notification)).toEqual({ kind: 'delivered' });
    expect(received[0]?.headers.host).toBe(`hooks.example.test:${port}`);
  });

  it('refuses to send when the name now resolves to a private address, without connecting', async () => {
    const provider = new WebhookProvider({ secret: 'x'.repeat(16), allowPrivate: false, requestTimeoutMs: 5_000, clock: new FakeClock(), resolve: resolvingTo('10.0.0.7') });
    const outcome = await provider.send({ provider: 'webhook', url: 'https://hooks.example.test/in' }, notification);
    expect(outcome).toEqual({ kind: 'rejected', reason: expect.stringMatching(/10\.0\.0\.7/) });
  });

  it('does not follow a redirect', async () => {
    const inside = await receiver();
    const redirecting = await receiver({ status: 307, headers: { location: `${inside.url}/secret` } });
    const provider = new WebhookProvider({ secret: 'x'.repeat(16), allowPrivate: true, requestTimeoutMs: 5_000, clock: new FakeClock() });
    const outcome = await provider.send({ provider: 'webhook', url: `${redirecting.url}/in` }, notification);
    expect(outcome).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/307/) });
    expect(received.map((request) => request.path)).toEqual(['/in']);
  });
});
