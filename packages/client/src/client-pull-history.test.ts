import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyClient } from './client.js';
import { ParleyApi } from './api.js';
import type { ClientState } from './client-storage.js';
import { MemoryStorage } from './memory-storage.js';
import { ClientPool } from './testing/client-pool.js';
import { faultyWebSockets } from './testing/faulty-web-socket.js';
import { eventually } from './testing/next-event.js';
import { startTestServer, type TestServer, type TestUser } from './testing/test-server.js';

let server: TestServer;
const pool = new ClientPool(() => server.url);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await pool.closeAll();
});

/** A device linked with a code from `user`'s first device. */
async function linkDevice(user: TestUser): Promise<string> {
  const { code } = await user.api.createLinkCode();
  const session = await new ParleyApi({ baseUrl: server.url }).login({ linkCode: code, deviceName: 'tablet' });
  return session.token;
}

/**
 * What a chat screen shows for one conversation: `history` batches go before
 * everything shown, `message` events after it. Also counts how each came.
 */
function screenOf(client: ParleyClient, conversation: string) {
  const screen = { seqs: [] as number[], messages: 0, batches: 0, messageSeqs: [] as number[] };
  client.on('message', (message) => {
    if (message.conversation !== conversation) return;
    screen.seqs.push(message.seq);
    screen.messageSeqs.push(message.seq);
    screen.messages += 1;
  });
  client.on('history', (batch) => {
    if (batch.conversation !== conversation) return;
    screen.seqs.unshift(...batch.messages.map((message) => message.seq));
    screen.batches += 1;
  });
  return screen;
}

/** Alice and Bob in a direct chat, Bob connected as a sender. */
async function aliceAndBobInChat() {
  const alice = await server.signUp('alice');
  const bob = await server.signUp('bob');
  const conversation = (await alice.api.openDirect(bob.session.user.id)).id;
  const bobClient = pool.clientOf(bob, { receiveEvents: false });
  await bobClient.connect();
  return { alice, conversation, bobClient };
}

const oneTo = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

describe('pullHistory on a newly linked device', () => {
  it('surfaces every message exactly once in seq order while another user keeps sending', async () => {
    const { alice, conversation, bobClient } = await aliceAndBobInChat();
    // The history page reaches the client only after a live message has: the stream overtakes the pull.
    let liveArrived: () => void = () => undefined;
    let liveSeen = false;
    const live = new Promise<void>((resolve) => (liveArrived = resolve)).then(() => (liveSeen = true));
    // Bob goes on until the tablet has seen live traffic, and at least 60 messages in all.
    let sent = 0;
    const sending = (async () => {
      for (; sent < 60 || !liveSeen; sent++) await bobClient.send(conversation, { text: `m${sent + 1}` });
    })();
    await eventually(() => sent >= 20, 'the first 20 are sent');

    const observed = faultyWebSockets({
      dropIncoming(frame) {
        if (frame.type === 'message') liveArrived();
        return false;
      },
    });
    const slowFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).includes('/messages')) await live;
      return response;
    };
    const tablet = pool.clientOf(await linkDevice(alice), { fetch: slowFetch, WebSocket: observed.WebSocket });
    const screen = screenOf(tablet, conversation);
    await Promise.all([tablet.connect(), tablet.pullHistory({ perConversation: 200 })]);
    await sending;
    const total = sent;
    await eventually(() => screen.seqs.length >= total, 'the tablet has every message');

    expect(screen.seqs).toEqual(oneTo(total));
    // Live events waited for the history: everything came as messages, each newer than the last.
    expect(screen.batches).toBe(0);
    expect(screen.messageSeqs).toEqual(oneTo(total));
  });

  it('brings the messages from before the device as one batch to go before the live ones already shown', async () => {
    const { alice, conversation, bobClient } = await aliceAndBobInChat();
    for (let index = 1; index <= 20; index++) await bobClient.send(conversation, { text: `old ${index}` });

    const tablet = pool.clientOf(await linkDevice(alice));
    const screen = screenOf(tablet, conversation);
    await tablet.connect();
    for (let index = 1; index <= 3; index++) await bobClient.send(conversation, { text: `live ${index}` });
    await eventually(() => screen.seqs.length === 3, 'the live messages are shown');

    const pulled = await tablet.pullHistory({ perConversation: 50 });
    expect(pulled).toEqual({ conversations: 1, messages: 20 });
    expect(screen.batches).toBe(1);
    expect(screen.seqs).toEqual(oneTo(23));

    // A second pull finds nothing new; the stream goes on after it.
    expect(await tablet.pullHistory()).toEqual({ conversations: 0, messages: 0 });
    await bobClient.send(conversation, { text: 'after' });
    await eventually(() => screen.seqs.length === 24, 'the next live message is shown');
    expect(screen.seqs).toEqual(oneTo(24));
  });
});

/** A storage that counts the saves made once `closed` says so. */
function countingStorage() {
  const counts = { closed: false, savesAfterClose: 0 };
  const storage = new (class extends MemoryStorage {
    override async save(state: ClientState): Promise<void> {
      if (counts.closed) counts.savesAfterClose += 1;
      await super.save(state);
    }
  })();
  return { storage, counts };
}

describe('a closed client', () => {
  it('saves nothing after close() has returned, though a history pull under way ends later', async () => {
    const { alice, conversation, bobClient } = await aliceAndBobInChat();
    await bobClient.send(conversation, { text: 'before the tablet was linked' });

    let pageFetched: () => void = () => undefined;
    const fetched = new Promise<void>((resolve) => (pageFetched = resolve));
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const gatedFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).includes('/messages')) {
        pageFetched();
        await gate;
      }
      return response;
    };
    const { storage, counts } = countingStorage();
    const tablet = pool.clientOf(await linkDevice(alice), { fetch: gatedFetch, storage });
    await tablet.connect();
    const pulled = tablet.pullHistory({ perConversation: 10 }).catch(() => undefined);
    await fetched;
    await tablet.close();
    counts.closed = true;
    openGate();
    await pulled;
    // A save would start on a later turn than the pull's end.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counts.savesAfterClose).toBe(0);
  });

  it('writes nothing when closed again, and saves again once connected again', async () => {
    const alice = await server.signUp('alice');
    const { storage, counts } = countingStorage();
    const client = pool.clientOf(alice, { storage });
    await client.connect();
    await client.close();
    counts.closed = true;
    await Promise.all([client.close(), client.close()]);
    expect(counts.savesAfterClose).toBe(0);
    await client.connect();
    await client.close();
    expect(counts.savesAfterClose).toBeGreaterThan(0);
  });
});
