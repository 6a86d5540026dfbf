import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ParleyClient, type ParleyClientOptions } from './client.js';
import type { ConnectionState, ReceivedMessage } from './client-events.js';
import { FileStorage } from './file-storage.js';
import { MemoryStorage } from './memory-storage.js';
import { NodeWebSocket } from './node.js';
import { faultyWebSockets } from './testing/faulty-web-socket.js';
import { eventually, nextEvent } from './testing/next-event.js';
import { startTestServer, type TestServer, type TestUser } from './testing/test-server.js';

let server: TestServer;
const clients: ParleyClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
});

/** A client for `user`, closed after the test; reconnects wait no time (random 0). */
function clientOf(user: TestUser, options: Partial<ParleyClientOptions> = {}): ParleyClient {
  const client = new ParleyClient({
    url: server.url,
    token: user.session.token,
    WebSocket: NodeWebSocket,
    random: () => 0,
    ...options,
  });
  clients.push(client);
  return client;
}

async function directConversation(user: TestUser, peer: TestUser): Promise<string> {
  return (await user.api.openDirect(peer.session.user.id)).id;
}

function collectMessages(client: ParleyClient): ReceivedMessage[] {
  const messages: ReceivedMessage[] = [];
  client.on('message', (message) => messages.push(message));
  return messages;
}

describe('ParleyClient', () => {
  it('carries messages between two users in both directions, each with the next seq', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = await directConversation(alice, bob);
    const aliceClient = clientOf(alice);
    const bobClient = clientOf(bob);
    await Promise.all([aliceClient.connect(), bobClient.connect()]);
    expect(aliceClient.state).toBe('synced');

    const bobReceives = nextEvent(bobClient, 'message', (message) => message.conversation === conversation);
    const sent = await aliceClient.send(conversation, { text: 'hello bob' });
    const received = await bobReceives;
    expect(received).toMatchObject({ seq: sent.seq, id: sent.id, sender: alice.session.user.id, body: { text: 'hello bob' } });

    const aliceReceives = nextEvent(aliceClient, 'message', (message) => message.sender === bob.session.user.id);
    const reply = await bobClient.send(conversation, { text: 'hi alice' });
    expect(reply.seq).toBe(sent.seq + 1);
    expect((await aliceReceives).body.text).toBe('hi alice');
  });

  it('surfaces the delivered and read receipts of a sent message, and typing from the peer', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = await directConversation(alice, bob);
    const aliceClient = clientOf(alice);
    const bobClient = clientOf(bob);
    await Promise.all([aliceClient.connect(), bobClient.connect()]);

    const delivered = nextEvent(aliceClient, 'receipt', (receipt) => receipt.status === 'delivered');
    const bobReceives = nextEvent(bobClient, 'message');
    const sent = await aliceClient.send(conversation, { text: 'did you get this?' });
    await bobReceives;
    // Bob's client acks on its own once the message is saved; that is what delivers it.
    expect(await delivered).toMatchObject({ conversation, user: bob.session.user.id, seq: sent.seq });

    const read = nextEvent(aliceClient, 'receipt', (receipt) => receipt.status === 'read');
    expect(bobClient.markRead(conversation, sent.seq)).toBe(true);
    expect(await read).toMatchObject({ conversation, user: bob.session.user.id, seq: sent.seq });

    const typing = nextEvent(aliceClient, 'typing');
    expect(bobClient.setTyping(conversation, true)).toBe(true);
    expect(await typing).toEqual({ type: 'typing', conversation, user: bob.session.user.id, active: true });
  });

  it('sends a message written before connecting once the server welcomes it', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = await directConversation(alice, bob);
    const aliceClient = clientOf(alice);
    const answer = aliceClient.send(conversation, { text: 'queued' });
    await eventually(() => aliceClient.pendingSends.length === 1, 'the send is in the outbox');
    void aliceClient.connect();
    expect((await answer).seq).toBe(1);
    expect(aliceClient.pendingSends).toEqual([]);
  });

  it('re-sends an unanswered send with the same id after the connection drops, making one message', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = await directConversation(alice, bob);
    let answersLost = 0;
    // The server accepts the first send, but its `sent` is lost with the connection.
    const faulty = faultyWebSockets({
      dropIncoming(frame, socket) {
        if (frame.type !== 'sent' || answersLost > 0) return false;
        answersLost += 1;
        socket.terminate();
        return true;
      },
    });
    const aliceClient = clientOf(alice, { WebSocket: faulty.WebSocket });
    const bobClient = clientOf(bob);
    const bobMessages = collectMessages(bobClient);
    await Promise.all([aliceClient.connect(), bobClient.connect()]);

    const sent = await aliceClient.send(conversation, { text: 'exactly once' });
    expect(answersLost).toBe(1);
    expect(faulty.sockets).toHaveLength(2);
    const page = await alice.api.history(conversation);
    expect(page.messages).toEqual([expect.objectContaining({ id: sent.id, seq: sent.seq, body: { text: 'exactly once' } })]);
    // A later message proves bob has seen everything before it.
    const marker = await aliceClient.send(conversation, { text: 'marker' });
    await eventually(() => bobMessages.some((message) => message.seq === marker.seq), 'bob gets the marker');
    expect(bobMessages.map((message) => message.seq)).toEqual([sent.seq, marker.seq]);
  });

  it('resumes from its file storage after a restart without surfacing any message twice', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = await directConversation(alice, bob);
    const directory = await mkdtemp(join(tmpdir(), 'parley-resume-'));
    const storagePath = join(directory, 'bob.json');
    try {
      // Bob's acks never reach the server, so it will replay everything to the restarted client.
      const lossy = faultyWebSockets({ dropOutgoing: (frame) => frame.type === 'ack' });
      const first = clientOf(bob, { WebSocket: lossy.WebSocket, storage: new FileStorage(storagePath) });
      const before = collectMessages(first);
      const aliceClient = clientOf(alice, { receiveEvents: false });
      await Promise.all([first.connect(), aliceClient.connect()]);
      for (const text of ['one', 'two', 'three']) await aliceClient.send(conversation, { text });
      await eventually(() => before.length === 3, 'bob gets three messages');
      await first.close();

      await aliceClient.send(conversation, { text: 'four' });
      const second = clientOf(bob, { storage: new FileStorage(storagePath) });
      const after = collectMessages(second);
      await second.connect();
      expect(after.map((message) => message.body.text)).toEqual(['four']);

      // The restarted client acked the replay: a third connection of the device gets nothing again.
      await second.close();
      const third = clientOf(bob, { storage: new MemoryStorage() });
      const thirdMessages = collectMessages(third);
      await third.connect();
      expect(thirdMessages).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('replaces a connection on which the server has gone silent', async () => {
    const alice = await server.signUp('alice');
    const silenced = new Set<unknown>();
    // Once synced, the first socket loses everything the server says, pongs included.
    const faulty = faultyWebSockets({ dropIncoming: (_frame, socket) => silenced.has(socket) });
    const client = clientOf(alice, { WebSocket: faulty.WebSocket, heartbeatIntervalMs: 50, idleTimeoutMs: 300 });
    await client.connect();
    silenced.add(faulty.sockets[0]);
    const states: ConnectionState[] = [];
    client.on('state', (state) => states.push(state));
    await nextEvent(client, 'synced');
    expect(faulty.sockets).toHaveLength(2);
    expect(states).toEqual(['connecting', 'open', 'synced']);
  });

  it('reconnects at once when told the network changed, instead of waiting out its backoff', async () => {
    const alice = await server.signUp('alice');
    const faulty = faultyWebSockets();
    // The longest wait the backoff allows: the retry timer cannot be what reconnects.
    const aliceClient = clientOf(alice, { WebSocket: faulty.WebSocket, random: () => 0.999 });
    await aliceClient.connect();
    const connecting = nextEvent(aliceClient, 'state');
    faulty.sockets[0]?.terminate();
    expect(await connecting).toBe('connecting');
    expect(aliceClient.reconnectNow()).toBe(true);
    expect(faulty.sockets).toHaveLength(2);
    await nextEvent(aliceClient, 'synced');
  });

  it('replaces a connection that looks open when told the network changed, and its unanswered send lands once', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = await directConversation(alice, bob);
    // The first socket swallows alice's sends, as a connection that died without a close does.
    const faulty = faultyWebSockets({ dropOutgoing: (frame, socket) => socket === faulty.sockets[0] && frame.type === 'send' });
    const aliceClient = clientOf(alice, { WebSocket: faulty.WebSocket });
    await aliceClient.connect();
    const sent = aliceClient.send(conversation, { text: 'through the new socket' });
    await eventually(() => aliceClient.pendingSends.length === 1, 'the send waits in the outbox');
    expect(aliceClient.reconnectNow()).toBe(true);
    expect(faulty.sockets).toHaveLength(2);
    const answer = await sent;
    const page = await bob.api.history(conversation);
    expect(page.messages.map((message) => message.id)).toEqual([answer.id]);
    await aliceClient.close();
    expect(aliceClient.reconnectNow()).toBe(false);
  });

  it('retries a rate-limited send after the wait the server names, so every send lands once', async () => {
    const strict = await startTestServer({ sendRatePerSecond: 20, sendBurst: 1 });
    try {
      const alice = await strict.signUp('alice');
      const bob = await strict.signUp('bob');
      const conversation = (await alice.api.openDirect(bob.session.user.id)).id;
      const refusals: string[] = [];
      // Lets every frame through, noting the refusals, to show the limit was really hit.
      const observed = faultyWebSockets({
        dropIncoming(frame) {
          if (frame.type === 'error' && frame.code === 'rate_limited') refusals.push(String(frame.ref));
          return false;
        },
      });
      const client = new ParleyClient({ url: strict.url, token: alice.session.token, WebSocket: observed.WebSocket });
      clients.push(client);
      await client.connect();
      const sent = await Promise.all(['a', 'b', 'c'].map((text) => client.send(conversation, { text })));
      expect(refusals.length).toBeGreaterThan(0);
      expect(sent.map((answer) => answer.seq).sort()).toEqual([1, 2, 3]);
      const page = await alice.api.history(conversation);
      expect(page.messages.map((message) => message.body.text).sort()).toEqual(['a', 'b', 'c']);
    } finally {
      await strict.stop();
    }
  });

  it('stops for good with state unauthorized when the server refuses the token', async () => {
    const factory = faultyWebSockets();
    const client = new ParleyClient({ url: server.url, token: 'not-a-token', WebSocket: factory.WebSocket, random: () => 0 });
    clients.push(client);
    const states: ConnectionState[] = [];
    client.on('state', (state) => states.push(state));
    await expect(client.connect()).rejects.toThrow(/unauthorized/);
    expect(client.state).toBe('unauthorized');
    // With no backoff (random 0) a reconnect would have started by now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(factory.sockets).toHaveLength(1);
    expect(states).toEqual(['connecting', 'unauthorized']);
    await expect(client.send('c_1', { text: 'x' })).rejects.toThrow(/unauthorized/);
  });

  it('stops for good with state revoked when its device is logged out, failing its waiting sends', async () => {
    const alice = await server.signUp('alice');
    const client = clientOf(alice);
    await client.connect();
    const revoked = nextEvent(client, 'state', (state) => state === 'revoked');
    await alice.api.logout();
    await revoked;
    expect(client.state).toBe('revoked');
  });

  it('refuses a send to a conversation the user is not in, removing it from the outbox', async () => {
    const alice = await server.signUp('alice');
    const client = clientOf(alice);
    await client.connect();
    await expect(client.send('c_nope', { text: 'hi' })).rejects.toMatchObject({ name: 'ParleySendError', code: 'not_found' });
    expect(client.pendingSends).toEqual([]);
  });
});
