import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

const refusal = (promise: Promise<unknown>) => promise.then(() => 'opened', (error: Error) => error.message);

describe('WebSocket hardening', () => {
  let server: RunningApp | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('refuses a browser page from a foreign origin and accepts its own and listed origins', async () => {
    server = await startApp({ allowedOrigins: ['https://chat.example.org'] });
    const host = new URL(server.url).host;
    expect(await refusal(TestSocket.open(server.url, { headers: { origin: 'https://evil.example' } }))).toContain('403');
    const own = await TestSocket.open(server.url, { headers: { origin: `http://${host}` } });
    const listed = await TestSocket.open(server.url, { headers: { origin: 'https://chat.example.org' } });
    const noBrowser = await TestSocket.open(server.url);
    await Promise.all([own.close(), listed.close(), noBrowser.close()]);
  });

  it('never takes a token from the URL: only hello authenticates', async () => {
    server = await startApp();
    const alice = await createUser(server.url, 'alice');
    const socket = await TestSocket.open(server.url, {}, `/v1/ws?token=${alice.token}`);
    socket.send({ type: 'ping' });
    expect((await socket.closed).code).toBe(4400);
  });

  it('refuses connections past the per-address limit with 429', async () => {
    server = await startApp({ maxConnectionsPerIp: 2 });
    // A per-address limit each node keeps to itself (docs/cluster.md, "Limits that stay per node"): one node's URL.
    const [node] = server.nodeUrls as [string];
    const first = await TestSocket.open(node);
    const second = await TestSocket.open(node);
    expect(await refusal(TestSocket.open(node))).toContain('429');
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = await TestSocket.open(node);
    await Promise.all([second.close(), third.close()]);
  });

  it('refuses handshakes past the per-address rate with 429', async () => {
    server = await startApp({ handshakesPerIpPerSecond: 1, handshakeBurst: 3 });
    // A per-address limit each node keeps to itself (docs/cluster.md, "Limits that stay per node"): one node's URL.
    const [node] = server.nodeUrls as [string];
    const sockets = [];
    for (let index = 0; index < 3; index++) sockets.push(await TestSocket.open(node));
    expect(await refusal(TestSocket.open(node))).toContain('429');
    await Promise.all(sockets.map((socket) => socket.close()));
  });
});
