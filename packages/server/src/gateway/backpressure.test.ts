import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('connections that stop reading or answering', () => {
  let server: RunningApp | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('closes a client that stopped reading with 4503, and it loses nothing when it resumes from its acked pos', async () => {
    server = await startApp({ sendQueueBytesMax: 64 * 1024 });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    // Straight to the last node (on a test cluster not Alice's first): a proxy's buffers in between would
    // hide the stall from the node for megabytes.
    const slow = await TestSocket.connect(server.nodeUrls.at(-1) as string, bob.token);
    const closedAt = slow.closed;
    // Bob's app hangs: it no longer reads its socket.
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();

    const sender = await TestSocket.connect(server.url, alice.token);
    const ids: string[] = [];
    // One send at a time: Alice reads her echoes, so only Bob's queue grows (on a cluster her socket
    // passes a proxy too, and a burst of echoes could fill her queue of 64 KiB before she drains it).
    for (let index = 0; index < 120; index++) {
      const id = randomUUID();
      ids.push(id);
      sender.send({ type: 'send', id, conversation, body: { text: `${index} ${'x'.repeat(50_000)}` } });
      await sender.next('sent', (frame) => frame.id === id, 20_000);
    }
    const metricsText = async () => (await Promise.all((server?.nodeUrls ?? []).map(async (url) => (await fetch(`${url}/metrics`)).text()))).join('\n');
    let text = '';
    for (let attempt = 0; attempt < 200 && !text.includes('code="4503"'); attempt++) {
      text = await metricsText();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(text).toMatch(/parley_connections_closed_total\{code="4503"\} 1/);
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await closedAt).code).toBe(4503);

    const again = await TestSocket.connect(server.url, bob.token);
    const replayed = again.events().filter((event) => event.type === 'message').map((event) => event.type === 'message' && event.id);
    expect(replayed).toEqual(ids);
    await Promise.all([sender.close(), again.close()]);
  }, 60_000);

  it('closes with 4408 a connection that stops answering pings', async () => {
    const clock = new FakeClock();
    server = await startApp({ idleTimeoutMs: 60_000 }, { clock });
    const alice = await createUser(server.url, 'alice');
    const mute = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v1/ws`, { autoPong: false });
    const closed = new Promise<number>((resolve) => mute.on('close', (code) => resolve(code)));
    const welcomed = new Promise<void>((resolve) => mute.on('message', (data) => String(data).includes('"synced"') && resolve()));
    await new Promise((resolve) => mute.once('open', resolve));
    mute.send(JSON.stringify({ type: 'hello', token: alice.token, protocol: 1 }));
    await welcomed;
    clock.advance(30_000); // pinged
    clock.advance(30_000); // no pong came back
    expect(await closed).toBe(4408);
  });
});
