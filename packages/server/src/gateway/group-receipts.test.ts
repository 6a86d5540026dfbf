import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceiptEvent } from '@parley/protocol';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { seedUsers } from '../testing/seed-users.js';
import { tempDir } from '../testing/temp-dir.js';
import { createGroup, createUser, memberSeqs, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

/** Waits until every one of `members` has `status` up to `seq` in the stored details: their acks or reads are durable. */
async function untilStored(url: string, viewer: TestUser, group: string, members: TestUser[], status: 'deliveredSeq' | 'readSeq', seq: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const seqs = await memberSeqs(url, viewer, group);
    if (members.every((member) => (seqs.get(member.userId)?.[status] ?? 0) >= seq)) return;
    if (Date.now() > deadline) throw new Error(`${status} ${seq} not stored for every member`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The receipts a socket has received, after a ping round trip so that nothing already sent is missed. */
async function receiptsAt(socket: TestSocket): Promise<ReceiptEvent[]> {
  socket.send({ type: 'ping' });
  await socket.next('pong');
  return socket.events().filter((event): event is ReceiptEvent => event.type === 'receipt');
}

describe('aggregate receipts in a group of five', () => {
  let server: RunningApp;
  let alice: TestUser;
  let others: TestUser[];
  let group: string;
  const sockets: TestSocket[] = [];
  const connect = async (user: TestUser) => {
    const socket = await TestSocket.connect(server.url, user.token);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    // Acks are written at once, so a test waits for receipts, not for timers.
    server = await startApp({ ackWriteDelayMs: 0 });
    [alice, ...others] = await Promise.all(['alice', 'bob', 'carol', 'dave', 'erin'].map((name) => createUser(server.url, name))) as [TestUser, ...TestUser[]];
    group = await createGroup(server.url, alice, others);
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await server.stop();
  });

  /** alice sends one message; each other member has it on a connected device. */
  async function oneMessage() {
    const sender = await connect(alice);
    const readers = await Promise.all(others.map(connect));
    sender.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: 'who is in?' } });
    const events = await Promise.all(readers.map((reader) => reader.next('message')));
    return { sender, readers, events };
  }

  it('gives the sender exactly one delivered receipt, for all, after the last member acks, and none before', async () => {
    const { sender, readers, events } = await oneMessage();
    for (const index of [0, 1, 2]) readers[index]!.send({ type: 'ack', pos: events[index]!.pos });
    await untilStored(server.url, alice, group, others.slice(0, 3), 'deliveredSeq', 1);
    expect(await receiptsAt(sender)).toEqual([]);

    readers[3]!.send({ type: 'ack', pos: events[3]!.pos });
    expect(await sender.next('receipt')).toEqual({ type: 'receipt', pos: expect.any(Number), conversation: group, status: 'delivered', seq: 1, all: true });
    expect(await receiptsAt(sender)).toHaveLength(1);
  });

  it("gives the sender exactly one read receipt, for all, after the last member reads, while each reader's devices get their own", async () => {
    const { sender, readers } = await oneMessage();
    for (const index of [0, 1, 2]) {
      readers[index]!.send({ type: 'read', conversation: group, seq: 1 });
      // Read-state sync across the reader's devices stays as it was: it names the reader.
      expect(await readers[index]!.next('receipt')).toMatchObject({ user: others[index]!.userId, status: 'read', seq: 1 });
    }
    expect(await receiptsAt(sender)).toEqual([]);

    readers[3]!.send({ type: 'read', conversation: group, seq: 1 });
    expect(await sender.next('receipt')).toEqual({ type: 'receipt', pos: expect.any(Number), conversation: group, status: 'read', seq: 1, all: true });
    // Reading moved everyone's delivered seq too: the read receipt stands for both.
    expect(await receiptsAt(sender)).toHaveLength(1);
  });

  it('lets the minimum advance when the one member who lacks the message leaves', async () => {
    const { sender, readers, events } = await oneMessage();
    for (const index of [0, 1, 2]) readers[index]!.send({ type: 'ack', pos: events[index]!.pos });
    await untilStored(server.url, alice, group, others.slice(0, 3), 'deliveredSeq', 1);
    const erin = others[3]!;
    expect((await request(server.url, 'DELETE', `/v1/conversations/${group}/members/${erin.userId}`, { token: erin.token })).status).toBe(204);
    expect(await sender.next('receipt')).toMatchObject({ status: 'delivered', seq: 1, all: true });
  });

  it('lets the minimum advance when an admin removes the one member who has not read', async () => {
    const { sender, readers } = await oneMessage();
    for (const index of [0, 1, 2]) readers[index]!.send({ type: 'read', conversation: group, seq: 1 });
    await untilStored(server.url, alice, group, others.slice(0, 3), 'readSeq', 1);
    expect(await receiptsAt(sender)).toEqual([]);
    expect((await request(server.url, 'DELETE', `/v1/conversations/${group}/members/${others[3]!.userId}`, { token: alice.token })).status).toBe(204);
    expect(await sender.next('receipt')).toMatchObject({ status: 'read', seq: 1, all: true });
  });

  it('tells each sender, with the newest of their own messages, once every other member has them', async () => {
    const sender = await connect(alice);
    const bob = others[0]!;
    const bobSocket = await connect(bob);
    const readers = await Promise.all(others.slice(1).map(connect));
    sender.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: 'from alice' } });
    await sender.next('sent');
    bobSocket.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: 'from bob' } });
    await bobSocket.next('sent');
    for (const reader of [...readers, sender, bobSocket]) {
      const last = await reader.next('message', (event) => event.seq === 2);
      reader.send({ type: 'ack', pos: last.pos });
    }
    expect(await sender.next('receipt')).toMatchObject({ status: 'delivered', seq: 1, all: true });
    expect(await bobSocket.next('receipt')).toMatchObject({ status: 'delivered', seq: 2, all: true });
    expect(await receiptsAt(sender)).toHaveLength(1);
    expect(await receiptsAt(bobSocket)).toHaveLength(1);
  });
});

describe('a message to a group of 100', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('costs its sender one delivered and one read receipt event, not one of each per member', async () => {
    const users = await seedUsers(dir.path, 100, 'hundred');
    const server = await startApp({ dataDir: dir.path, ackWriteDelayMs: 0 });
    const [sender, ...members] = users as [TestUser, ...TestUser[]];
    const group = await createGroup(server.url, sender, members, 'hundred');
    const senderSocket = await TestSocket.connect(server.url, sender.token);
    const memberSockets = await Promise.all(members.map((member) => TestSocket.connect(server.url, member.token)));
    try {
      senderSocket.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: 'hello all' } });
      for (const socket of memberSockets) socket.send({ type: 'ack', pos: (await socket.next('message')).pos });
      await senderSocket.next('receipt', (event) => event.status === 'delivered');
      for (const socket of memberSockets) socket.send({ type: 'read', conversation: group, seq: 1 });
      await senderSocket.next('receipt', (event) => event.status === 'read');
      const receipts = await receiptsAt(senderSocket);
      expect(receipts.map(({ status, seq, all, user }) => ({ status, seq, all, user }))).toEqual([
        { status: 'delivered', seq: 1, all: true, user: undefined },
        { status: 'read', seq: 1, all: true, user: undefined },
      ]);
    } finally {
      await Promise.all([senderSocket, ...memberSockets].map((socket) => socket.close()));
      await server.stop({ keepData: true });
    }
  }, 60_000);
});
