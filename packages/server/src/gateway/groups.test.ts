import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationView, ReceiptEvent } from '@parley/protocol';
import { openStore } from '../open-store.js';
import { testStoreConfig } from '../testing/test-config.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { seedUsers } from '../testing/seed-users.js';
import { tempDir } from '../testing/temp-dir.js';
import { createGroup, createUser, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('groups and receipts', () => {
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let group: string;

  beforeEach(async () => {
    server = await startApp();
    [alice, bob, carol] = await Promise.all([createUser(server.url, 'alice'), createUser(server.url, 'bob'), createUser(server.url, 'carol')]);
    group = await createGroup(server.url, alice, [bob, carol]);
  });
  afterEach(async () => {
    await server.stop();
  });

  it('makes the creator admin and tells every member the group was created', async () => {
    const details = await request<ConversationView>(server.url, 'GET', `/v1/conversations/${group}`, { token: bob.token });
    expect(details.body).toMatchObject({ type: 'group', name: 'team' });
    expect(details.body.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: alice.userId, role: 'admin' }),
        expect.objectContaining({ user: bob.userId, role: 'member' }),
        expect.objectContaining({ user: carol.userId, role: 'member' }),
      ]),
    );
    const socket = await TestSocket.connect(server.url, carol.token);
    expect(socket.events()).toMatchObject([{ type: 'conversation', change: 'created', conversation: group, name: 'team', kind: 'group' }]);
    await socket.close();
  });

  it('brings the sender one delivered and then one read receipt for all, once both members have acked and read', async () => {
    const sender = await TestSocket.connect(server.url, alice.token);
    const bobSocket = await TestSocket.connect(server.url, bob.token);
    const carolSocket = await TestSocket.connect(server.url, carol.token);
    sender.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: 'one' } });
    sender.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: 'two' } });
    const atBob = await bobSocket.next('message', (event) => event.seq === 2);
    const atCarol = await carolSocket.next('message', (event) => event.seq === 2);

    bobSocket.send({ type: 'ack', pos: atBob.pos });
    carolSocket.send({ type: 'ack', pos: atCarol.pos });
    expect(await sender.next('receipt')).toEqual({ type: 'receipt', pos: expect.any(Number), conversation: group, status: 'delivered', seq: 2, all: true });

    bobSocket.send({ type: 'read', conversation: group, seq: 2 });
    // The reader's own devices learn it at once; the sender only once carol has read too.
    expect(await bobSocket.next('receipt')).toMatchObject({ user: bob.userId, status: 'read', seq: 2 });
    carolSocket.send({ type: 'read', conversation: group, seq: 2 });
    expect(await sender.next('receipt')).toMatchObject({ status: 'read', seq: 2, all: true });

    const details = await request<ConversationView>(server.url, 'GET', `/v1/conversations/${group}`, { token: alice.token });
    const bobState = details.body.members.find((member) => member.user === bob.userId);
    const carolState = details.body.members.find((member) => member.user === carol.userId);
    expect(bobState).toMatchObject({ deliveredSeq: 2, readSeq: 2 });
    expect(carolState).toMatchObject({ deliveredSeq: 2, readSeq: 2 });
    expect(sender.events().filter((event) => event.type === 'receipt')).toHaveLength(2);
    await Promise.all([sender.close(), bobSocket.close(), carolSocket.close()]);
  });

  it('coalesces a burst of acks into one receipt per sender', async () => {
    const sender = await TestSocket.connect(server.url, alice.token);
    const readers = await Promise.all([bob, carol].map((member) => TestSocket.connect(server.url, member.token)));
    for (let index = 0; index < 10; index++) sender.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: `${index}` } });
    for (const reader of readers) {
      await reader.next('message', (event) => event.seq === 10);
      reader.send({ type: 'ack', pos: reader.events().at(-1)!.pos });
    }
    await sender.next('receipt', (event) => event.all === true && event.seq === 10);
    sender.send({ type: 'ping' });
    await sender.next('pong');
    const receipts = sender.events().filter((event): event is ReceiptEvent => event.type === 'receipt');
    expect(receipts).toHaveLength(1);
    await Promise.all([sender.close(), ...readers.map((reader) => reader.close())]);
  });

  it('never moves a receipt backwards: a read below the current one changes nothing', async () => {
    const sender = await TestSocket.connect(server.url, alice.token);
    const readers = await Promise.all([bob, carol].map((member) => TestSocket.connect(server.url, member.token)));
    for (let index = 0; index < 3; index++) sender.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: `${index}` } });
    for (const reader of readers) {
      await reader.next('message', (event) => event.seq === 3);
      reader.send({ type: 'read', conversation: group, seq: 3 });
    }
    await sender.next('receipt', (event) => event.status === 'read' && event.seq === 3);
    const [reader] = readers as [TestSocket, TestSocket];
    reader.send({ type: 'read', conversation: group, seq: 1 });
    reader.send({ type: 'ping' });
    await reader.next('pong');
    const details = await request<ConversationView>(server.url, 'GET', `/v1/conversations/${group}`, { token: alice.token });
    expect(details.body.members.find((member) => member.user === bob.userId)?.readSeq).toBe(3);
    const reads = sender.events().filter((event) => event.type === 'receipt' && event.status === 'read');
    expect(reads).toHaveLength(1);
    await Promise.all([sender.close(), ...readers.map((each) => each.close())]);
  });

  it('refuses a non-admin adding members with 403 forbidden', async () => {
    const dave = await createUser(server.url, 'dave');
    const response = await request(server.url, 'POST', `/v1/conversations/${group}/members`, {
      token: bob.token,
      body: { members: [dave.userId] },
    });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('shows an added member only the messages from when they joined', async () => {
    const sender = await TestSocket.connect(server.url, alice.token);
    sender.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: 'before dave' } });
    await sender.next('sent');
    const dave = await createUser(server.url, 'dave');
    const added = await request(server.url, 'POST', `/v1/conversations/${group}/members`, { token: alice.token, body: { members: [dave.userId] } });
    expect(added.status).toBe(200);
    sender.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: 'after dave' } });
    await sender.next('sent', (frame) => frame.seq === 2);
    const history = await request<{ messages: { body: { text: string } }[] }>(server.url, 'GET', `/v1/conversations/${group}/messages`, {
      token: dave.token,
    });
    expect(history.body.messages.map((message) => message.body.text)).toEqual(['after dave']);
    await sender.close();
  });

  it('stops a removed member from receiving, sending and reading new messages', async () => {
    const carolSocket = await TestSocket.connect(server.url, carol.token);
    const removed = await request(server.url, 'DELETE', `/v1/conversations/${group}/members/${carol.userId}`, { token: alice.token });
    expect(removed.status).toBe(204);
    expect(await carolSocket.next('conversation', (event) => event.change === 'member_removed')).toMatchObject({ members: [carol.userId] });

    const sender = await TestSocket.connect(server.url, alice.token);
    sender.send({ type: 'send', id: randomUUID(), conversation: group, body: { text: 'after carol left' } });
    await sender.next('sent');
    const id = randomUUID();
    carolSocket.send({ type: 'send', id, conversation: group, body: { text: 'can I still talk?' } });
    expect(await carolSocket.next('error')).toMatchObject({ ref: id, code: 'not_member' });
    expect(carolSocket.events().filter((event) => event.type === 'message')).toEqual([]);
    const history = await request<{ messages: unknown[] }>(server.url, 'GET', `/v1/conversations/${group}/messages`, { token: carol.token });
    expect(history.body.messages).toEqual([]);
    await Promise.all([sender.close(), carolSocket.close()]);
  });

  it('promotes the oldest member when the last admin leaves', async () => {
    const left = await request(server.url, 'DELETE', `/v1/conversations/${group}/members/${alice.userId}`, { token: alice.token });
    expect(left.status).toBe(204);
    const details = await request<ConversationView>(server.url, 'GET', `/v1/conversations/${group}`, { token: bob.token });
    expect(details.body.members.filter((member) => member.role === 'admin')).toHaveLength(1);
    expect(details.body.members.some((member) => member.user === alice.userId)).toBe(false);
  });

  it('renames a group and grants admin, telling every member', async () => {
    const socket = await TestSocket.connect(server.url, carol.token);
    await request(server.url, 'PATCH', `/v1/conversations/${group}`, { token: alice.token, body: { name: 'new name' } });
    expect(await socket.next('conversation', (event) => event.change === 'renamed')).toMatchObject({ name: 'new name' });
    await request(server.url, 'PUT', `/v1/conversations/${group}/admins/${bob.userId}`, { token: alice.token });
    expect(await socket.next('conversation', (event) => event.change === 'admin_granted')).toMatchObject({ members: [bob.userId] });
    await socket.close();
  });

  it('forwards typing only to the other members that are online, and stores none', async () => {
    const typist = await TestSocket.connect(server.url, alice.token);
    const online = await TestSocket.connect(server.url, bob.token);
    typist.send({ type: 'typing', conversation: group, active: true });
    expect(await online.next('typing')).toEqual({ type: 'typing', conversation: group, user: alice.userId, active: true });
    const later = await TestSocket.connect(server.url, carol.token);
    later.send({ type: 'ping' });
    await later.next('pong');
    expect(later.frames.filter((frame) => frame.type === 'typing')).toEqual([]);
    expect(typist.frames.filter((frame) => frame.type === 'typing')).toEqual([]);
    await Promise.all([typist.close(), online.close(), later.close()]);
  });

  it('refuses typing into a conversation the user is not in', async () => {
    const outsider = await createUser(server.url, 'outsider');
    const socket = await TestSocket.connect(server.url, outsider.token);
    socket.send({ type: 'typing', conversation: group, active: true });
    expect(await socket.next('error')).toMatchObject({ code: 'not_found' });
    await socket.close();
  });
});

describe('a group of 1,024 members', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('is created and one message reaches all 1,024 streams', async () => {
    const users = await seedUsers(dir.path, 1_024, 'member');
    const server = await startApp({ dataDir: dir.path });
    const [creator, ...others] = users as [TestUser, ...TestUser[]];
    const group = await createGroup(server.url, creator, others, 'everyone');
    const socket = await TestSocket.connect(server.url, creator.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation: group, body: { text: 'hello all' } });
    await socket.next('sent');
    await socket.close();
    const tooMany = await request(server.url, 'POST', `/v1/conversations/${group}/members`, {
      token: creator.token,
      body: { members: [(await createUser(server.url, 'extra')).userId] },
    });
    expect(tooMany.status).toBe(400);
    await server.stop({ keepData: true });

    const store = await openStore(await testStoreConfig(dir.path));
    try {
      for (const user of users) {
        const entries = await store.readStream(user.userId, 0, 10);
        expect(entries.map((entry) => entry.kind)).toEqual(['conversation', 'message']);
        expect(entries[1]).toMatchObject({ pos: 2, message: { id, conversationId: group, seq: 1 } });
      }
    } finally {
      await store.close();
    }
  }, 60_000);
});
