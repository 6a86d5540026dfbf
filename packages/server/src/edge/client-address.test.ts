import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { request } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

const refusal = (promise: Promise<TestSocket>) =>
  promise.then(
    async (socket) => {
      await socket.close();
      return 'opened';
    },
    (error: Error) => error.message,
  );

/** A registration the throttle counts; its body is refused after the throttle, so no account is made. */
const registerFrom = (url: string, forwardedFor: string) =>
  request(url, 'POST', '/v1/accounts', { body: {}, headers: { 'x-forwarded-for': forwardedFor } }).then((response) => response.status);

const handshakeFrom = (url: string, forwardedFor: string) => refusal(TestSocket.open(url, { headers: { 'x-forwarded-for': forwardedFor } }));

describe('the client address both edges count', () => {
  let server: RunningApp | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('behind a trusted proxy, is the last X-Forwarded-For entry, never what the client wrote before it', async () => {
    server = await startApp({ trustProxy: true, authBurst: 1, authRatePerMinute: 1, handshakeBurst: 1, handshakesPerIpPerSecond: 1 });
    // A per-address limit each node keeps to itself (docs/cluster.md, "Limits that stay per node"): one node's URL.
    const [node] = server.nodeUrls as [string];
    expect(await registerFrom(node, '10.0.0.1, 192.0.2.7')).toBe(400);
    expect(await registerFrom(node, '10.0.0.99, 192.0.2.7')).toBe(429);
    expect(await registerFrom(node, '192.0.2.8')).toBe(400);

    expect(await handshakeFrom(node, '10.0.0.1, 192.0.2.7')).toBe('opened');
    expect(await handshakeFrom(node, '10.0.0.99, 192.0.2.7')).toContain('429');
    expect(await handshakeFrom(node, '192.0.2.8')).toBe('opened');
  });

  it('without a trusted proxy, is the peer of the socket: X-Forwarded-For is ignored', async () => {
    server = await startApp({ authBurst: 1, authRatePerMinute: 1, handshakeBurst: 1, handshakesPerIpPerSecond: 1 });
    // A per-address limit each node keeps to itself (docs/cluster.md, "Limits that stay per node"): one node's URL.
    const [node] = server.nodeUrls as [string];
    expect(await registerFrom(node, '192.0.2.7')).toBe(400);
    expect(await registerFrom(node, '192.0.2.8')).toBe(429);

    expect(await handshakeFrom(node, '192.0.2.7')).toBe('opened');
    expect(await handshakeFrom(node, '192.0.2.8')).toContain('429');
  });
});
