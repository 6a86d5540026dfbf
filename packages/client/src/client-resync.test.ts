import { FakeClock } from '@parley/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceivedMessage } from './client-events.js';
import { MemoryStorage } from './memory-storage.js';
import { anotherDevice, ClientPool, until } from './testing/client-pool.js';
import { faultyWebSockets } from './testing/faulty-web-socket.js';
import { eventually, nextEvent } from './testing/next-event.js';
import { startTestServer, type TestServer, type TestUser } from './testing/test-server.js';

const retentionMs = 60_000;
let clock: FakeClock;
let server: TestServer;
const pool = new ClientPool(() => server.url);

beforeEach(async () => {
  clock = new FakeClock(Date.now());
  server = await startTestServer({ streamRetentionMs: retentionMs }, { clock });
});
afterEach(async () => {
  await pool.closeAll();
  await server.stop();
});

/**
 * Makes the server forget the events a device away since before now has not
 * acked: time passes beyond the retention window, then another device of the
 * user acks everything and leaves, which compacts the stream.
 */
async function compactWhileAway(user: TestUser, peer: TestUser, lastSeq: number): Promise<void> {
  clock.advance(retentionMs + 1_000);
  const peerClient = pool.clientOf(peer);
  const acked = nextEvent(peerClient, 'receipt', (receipt) => receipt.status === 'delivered' && receipt.seq === lastSeq);
  await peerClient.connect();
  const phone = pool.clientOf(user);
  await phone.connect();
  // The peer hears of the delivery only once the phone's ack is stored.
  await acked;
  await phone.close();
  const deviceId = user.session.device.id;
  await until(async () => !(await user.api.devices()).find((device) => device.id === deviceId)?.online, 'the phone is offline');
  // Compaction is queued when the phone leaves; a write queued after it finishes after it.
  await user.api.updateMe({ displayName: 'Alice' });
}

describe('resync', () => {
  it('refetches what a device missed beyond the retention window and surfaces each message once, in order', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = (await alice.api.openDirect(bob.session.user.id)).id;
    const laptopToken = await anotherDevice(server.url, alice, 'laptop');
    const storage = new MemoryStorage();

    const bobClient = pool.clientOf(bob, { receiveEvents: false });
    await bobClient.connect();
    const before = pool.clientOf(laptopToken, { storage });
    const first = nextEvent(before, 'message');
    await before.connect();
    await bobClient.send(conversation, { text: 'one' });
    await first;
    await before.close();
    for (const text of ['two', 'three']) await bobClient.send(conversation, { text });
    await compactWhileAway(alice, bob, 3);

    const laptop = pool.clientOf(laptopToken, { storage });
    const messages: ReceivedMessage[] = [];
    laptop.on('message', (message) => messages.push(message));
    const resynced = nextEvent(laptop, 'resync');
    await laptop.connect();
    expect(await resynced).toMatchObject({ conversations: 1, messages: 2 });
    expect(messages.map((message) => [message.seq, message.body.text, message.source])).toEqual([
      [2, 'two', 'history'],
      [3, 'three', 'history'],
    ]);

    await bobClient.send(conversation, { text: 'four' });
    await eventually(() => messages.length === 3, 'the live message arrives');
    expect(messages.at(-1)).toMatchObject({ seq: 4, source: 'stream' });

    // The resync is done: the next connection replays nothing and fetches nothing.
    await laptop.close();
    const again = pool.clientOf(laptopToken, { storage });
    const resyncs: unknown[] = [];
    again.on('resync', (event) => resyncs.push(event));
    again.on('message', (message) => messages.push(message));
    await again.connect();
    expect(resyncs).toEqual([]);
    expect(messages).toHaveLength(3);
  });

  it('holds live messages that arrive during the resync until the fetched ones are out', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = (await alice.api.openDirect(bob.session.user.id)).id;
    const laptopToken = await anotherDevice(server.url, alice, 'laptop');
    const storage = new MemoryStorage();
    const bobClient = pool.clientOf(bob, { receiveEvents: false });
    await bobClient.connect();
    const before = pool.clientOf(laptopToken, { storage });
    await before.connect();
    await before.close();
    for (const text of ['one', 'two']) await bobClient.send(conversation, { text });
    await compactWhileAway(alice, bob, 2);

    // Bob sends once the history page is read, and the client gets the page only after the live message.
    let liveArrived: () => void = () => undefined;
    const live = new Promise<void>((resolve) => (liveArrived = resolve));
    const observed = faultyWebSockets({
      dropIncoming(frame) {
        if (frame.type === 'message' && frame.seq === 3) liveArrived();
        return false;
      },
    });
    let liveSent: Promise<unknown> | undefined;
    const slowFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).includes('/messages')) {
        liveSent ??= bobClient.send(conversation, { text: 'live' });
        await live;
      }
      return response;
    };
    const laptop = pool.clientOf(laptopToken, { storage, fetch: slowFetch, WebSocket: observed.WebSocket });
    const messages: ReceivedMessage[] = [];
    laptop.on('message', (message) => messages.push(message));
    await laptop.connect();
    await eventually(() => messages.length === 3, 'every message is surfaced');
    await liveSent;
    expect(messages.map((message) => [message.body.text, message.source])).toEqual([
      ['one', 'history'],
      ['two', 'history'],
      ['live', 'stream'],
    ]);
  });
});
