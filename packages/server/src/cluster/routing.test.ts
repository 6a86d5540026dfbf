import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHeader } from '../edge/node-header.js';
import { seedUsers } from '../testing/seed-users.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { tempDir } from '../testing/temp-dir.js';
import type { TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';
import { haproxyConfig } from './haproxy-config.js';
import { startHaproxy, waitForListener } from './haproxy-process.js';

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Which node HAProxy sends a request for `user` to, as its `/readyz` names itself. */
async function nodeOf(proxyUrl: string, user: string): Promise<string> {
  const body = (await (await fetch(`${proxyUrl}/readyz?user=${user}`)).json()) as { node?: string };
  return body.node ?? 'none';
}

/** A WebSocket through HAProxy for `user`, and the node its handshake names. */
async function openThrough(proxyUrl: string, user: string): Promise<{ socket: TestSocket; node: string }> {
  const socket = await TestSocket.open(proxyUrl, {}, `/v1/ws?user=${user}`);
  return { socket, node: String(socket.upgradeHeaders[nodeHeader.toLowerCase()]) };
}

describe('HAProxy in front of two nodes, routing on the user parameter', () => {
  const dirs = [tempDir(), tempDir(), tempDir()];
  const processes: (ServerProcess | ChildProcess)[] = [];
  afterEach(async () => {
    for (const running of processes.splice(0)) {
      const child = 'child' in running ? running.child : running;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    }
    for (const dir of dirs) dir.remove();
  });

  it('keeps each user on one node, spreads users over both, and moves a draining node\'s users to the other after closing their sockets with 1001', async () => {
    const [nodeADir, nodeBDir, proxyDir] = dirs.map((dir) => dir.path) as [string, string, string];
    const [alice] = (await seedUsers(nodeADir, 1)) as [TestUser];
    // Each node has its own data here (the shared store is another part): routing is what is under test.
    const nodeEnv = (name: string) => ({ PARLEY_NODE_NAME: name, PARLEY_TRUST_PROXY: 'true', PARLEY_DRAIN_GRACE_MS: '3000' });
    const [nodeA, nodeB] = await Promise.all([startServerProcess(nodeADir, nodeEnv('node-a')), startServerProcess(nodeBDir, nodeEnv('node-b'))]);
    processes.push(nodeA, nodeB);
    const port = await freePort();
    const configPath = join(proxyDir, 'haproxy.cfg');
    const nodes = [nodeA, nodeB].map((node, index) => ({ name: index === 0 ? 'node-a' : 'node-b', host: '127.0.0.1', port: Number(new URL(node.url).port) }));
    writeFileSync(configPath, haproxyConfig({ nodes, host: '127.0.0.1', port }));
    const haproxyLog: string[] = [];
    processes.push(startHaproxy(configPath, (line) => haproxyLog.push(line)));
    await waitForListener('127.0.0.1', port, 10_000);
    const proxyUrl = `http://127.0.0.1:${port}`;

    const users = Array.from({ length: 24 }, (_, index) => `u_routing${index}`);
    const routes = new Map<string, string>();
    for (const user of users) routes.set(user, await nodeOf(proxyUrl, user));
    for (const user of users) expect(await nodeOf(proxyUrl, user), user).toBe(routes.get(user));
    expect(new Set(routes.values())).toEqual(new Set(['node-a', 'node-b']));

    // Alice's account is on node A: a user parameter HAProxy sends there carries her socket to it.
    const hint = users.find((user) => routes.get(user) === 'node-a') as string;
    const { socket, node } = await openThrough(proxyUrl, hint);
    expect(node).toBe('node-a');
    socket.send({ type: 'hello', token: alice.token, protocol: 1 });
    await socket.next('synced');

    nodeA.child.kill('SIGTERM');
    expect((await socket.closed).code).toBe(1001);
    // Her reconnect, with the same parameter, reaches node B, and so does every user node A had.
    const reconnected = await openThrough(proxyUrl, hint);
    expect(reconnected.node).toBe('node-b');
    reconnected.socket.socket.close();
    for (const user of users) expect(await nodeOf(proxyUrl, user), user).toBe('node-b');
    expect(await nodeA.exited).toEqual({ code: 0, signal: null });
    expect(haproxyLog.join('\n')).toMatch(/node-a is DOWN/);
  }, 30_000);
});
