import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nodeHeader } from './edge/node-header.js';
import { seedUsers } from './testing/seed-users.js';
import { startServerProcess, type ServerProcess } from './testing/server-process.js';
import { tempDir } from './testing/temp-dir.js';
import { openDirect, type TestUser } from './testing/test-api.js';
import { TestSocket } from './testing/test-socket.js';

interface Readiness {
  status: number;
  body: unknown;
}

async function readiness(url: string): Promise<Readiness> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: await response.json() };
}

/** `/readyz` polled until it stops answering 200, for at most `timeoutMs`. */
async function notReady(url: string, timeoutMs: number): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await readiness(url);
    if (answer.status !== 200 || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The `X-Parley-Node` header of the WebSocket handshake's 101 response. */
async function handshakeNode(url: string): Promise<string | undefined> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/ws`);
  try {
    return await new Promise((resolve, reject) => {
      socket.once('upgrade', (response) => resolve(response.headers[nodeHeader.toLowerCase()] as string | undefined));
      socket.once('error', reject);
    });
  } finally {
    socket.terminate();
  }
}

describe('a node draining on SIGTERM', () => {
  const dir = tempDir();
  let server: ServerProcess | undefined;
  afterEach(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    server = undefined;
    dir.remove();
  });

  it('answers /readyz 503 draining at once, keeps serving its sockets through the grace period, then closes them with 1001 and exits 0', async () => {
    const [alice, bob] = (await seedUsers(dir.path, 2)) as [TestUser, TestUser];
    server = await startServerProcess(dir.path, { PARLEY_DRAIN_GRACE_MS: '1500', PARLEY_NODE_NAME: 'node-a' });
    const conversation = await openDirect(server.url, alice, bob);
    const sender = await TestSocket.connect(server.url, alice.token);
    const receiver = await TestSocket.connect(server.url, bob.token);
    expect(await readiness(server.url)).toEqual({ status: 200, body: { status: 'ready', node: 'node-a' } });

    server.child.kill('SIGTERM');
    expect(await notReady(server.url, 1_000)).toEqual({ status: 503, body: { status: 'draining', node: 'node-a' } });

    // Still served after the node said it is draining: a message goes through, both ways of the socket work.
    const id = randomUUID();
    sender.send({ type: 'send', id, conversation, body: { text: 'during the drain' } });
    await sender.next('sent', (frame) => frame.id === id);
    await receiver.next('message', (frame) => frame.id === id);

    expect((await sender.closed).code).toBe(1001);
    expect((await receiver.closed).code).toBe(1001);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.log.filter((record) => record.level >= 50)).toEqual([]);
  }, 20_000);

  it('does not wait for the grace period on SIGINT: a person at a terminal has no load balancer to wait for', async () => {
    const [alice] = (await seedUsers(dir.path, 1)) as [TestUser];
    server = await startServerProcess(dir.path, { PARLEY_DRAIN_GRACE_MS: '600000' });
    const socket = await TestSocket.connect(server.url, alice.token);
    server.child.kill('SIGINT');
    expect((await socket.closed).code).toBe(1001);
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 20_000);

  it('names itself on every response and WebSocket handshake when it has a node name, and not at all without one', async () => {
    server = await startServerProcess(dir.path, { PARLEY_NODE_NAME: 'node-b' });
    expect((await fetch(`${server.url}/healthz`)).headers.get(nodeHeader)).toBe('node-b');
    expect((await fetch(`${server.url}/no-such-page`)).headers.get(nodeHeader)).toBe('node-b');
    expect(await handshakeNode(server.url)).toBe('node-b');
    server.child.kill('SIGKILL');
    await server.exited;

    server = await startServerProcess(dir.path);
    expect((await fetch(`${server.url}/healthz`)).headers.has(nodeHeader)).toBe(false);
    expect(await handshakeNode(server.url)).toBeUndefined();
    expect(await readiness(server.url)).toEqual({ status: 200, body: { status: 'ready' } });
  }, 20_000);
});
