import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../testing/running-app.js';

/** A raw TCP connection to the server, and a promise that settles when the server closes it. */
async function openRaw(url: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, closed };
}

const closedWithin = (closed: Promise<void>, ms: number) =>
  Promise.race([closed.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('slow and numerous connections', () => {
  let server: RunningApp | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await server?.stop();
    server = undefined;
  });

  it('closes a client that trickles its headers soon after headersTimeoutMs, not at Node\'s 30 s check', async () => {
    server = await startApp({ headersTimeoutMs: 1_000 });
    const { socket, closed } = await openRaw(server.url);
    sockets.push(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: parley\r\n');
    const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    try {
      // Timeout plus one check interval (a quarter of it), with room to spare; the old 30 s interval fails this.
      expect(await closedWithin(closed, 4_000)).toBe(true);
    } finally {
      clearInterval(trickle);
    }
  });

  it('closes at once connections from one address past maxSocketsPerIp, and takes new ones once some leave', async () => {
    server = await startApp({ maxSocketsPerIp: 3 });
    // A per-address limit each node keeps to itself (docs/cluster.md, "Limits that stay per node"): one node's URL.
    const [node] = server.nodeUrls as [string];
    const held = await Promise.all([openRaw(node), openRaw(node), openRaw(node)]);
    sockets.push(...held.map((raw) => raw.socket));
    const extra = await openRaw(node);
    sockets.push(extra.socket);
    expect(await closedWithin(extra.closed, 2_000)).toBe(true);
    expect(await closedWithin(held[0]?.closed as Promise<void>, 50)).toBe(false);

    held[0]?.socket.destroy();
    await held[0]?.closed;
    // The server counts the close when its side sees it: retry briefly rather than race it.
    let answered = false;
    for (let attempt = 0; attempt < 50 && !answered; attempt++) {
      answered = await fetch(`${node}/healthz`, { headers: { connection: 'close' } }).then((response) => response.ok, () => false);
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answered).toBe(true);
  });
});
