import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessagePage } from '@parley/protocol';
import { captureLog } from './testing/captured-log.js';
import { eventually } from './testing/eventually.js';
import { startApp } from './testing/running-app.js';
import { seedUsers } from './testing/seed-users.js';
import { startServerProcess } from './testing/server-process.js';
import { tempDir } from './testing/temp-dir.js';
import { createUser, openDirect, request, type TestUser } from './testing/test-api.js';
import { TestSocket } from './testing/test-socket.js';

const pairs = 10;

/** Every message id stored in a conversation, read page by page. */
async function storedIds(url: string, reader: TestUser, conversation: string): Promise<string[]> {
  const ids: string[] = [];
  for (let after = 0; ; ) {
    const page = await request<MessagePage>(url, 'GET', `/v1/conversations/${conversation}/messages?after=${after}&limit=200`, { token: reader.token });
    if (page.body.messages.length === 0) return ids;
    ids.push(...page.body.messages.map((message) => message.id));
    after = page.body.messages.at(-1)?.seq ?? after;
  }
}

describe('the server process on SIGTERM under load', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('answers every send whose message it committed, then closes with 1001, exits 0 and logs no failure', async () => {
    const users = await seedUsers(dir.path, pairs * 2);
    const server = await startServerProcess(dir.path, { PARLEY_SEND_RATE_PER_SECOND: '1000000', PARLEY_SEND_BURST: '1000000' });
    const senders = users.slice(0, pairs);
    const conversations = await Promise.all(senders.map((sender, index) => openDirect(server.url, sender, users[pairs + index] as TestUser)));
    const sockets = await Promise.all(senders.map((sender) => TestSocket.connect(server.url, sender.token)));
    const written = sockets.map(() => [] as string[]);
    const answeredOn = sockets.map(() => 0);
    for (const [index, socket] of sockets.entries()) {
      socket.socket.on('message', () => (answeredOn[index] = (answeredOn[index] ?? 0) + 1));
    }
    // Each sender keeps `window` sends unanswered: load the server can carry, with commits always in flight.
    const window = 20;
    const load = sockets.map(async (socket, index) => {
      const ids = written[index] as string[];
      while (socket.socket.readyState === socket.socket.OPEN) {
        while (ids.length - (answeredOn[index] ?? 0) < window) {
          const id = randomUUID();
          ids.push(id);
          socket.send({ type: 'send', id, conversation: conversations[index] as string, body: { text: `load ${id}` } });
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });
    while (answeredOn.reduce((sum, count) => sum + count, 0) < 1_000) await new Promise((resolve) => setTimeout(resolve, 5));
    server.child.kill('SIGTERM');
    const closes = await Promise.all(sockets.map((socket) => socket.closed));
    await Promise.all(load);
    expect(closes.map((close) => close.code)).toEqual(sockets.map(() => 1001));
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.log.filter((record) => record.level >= 50)).toEqual([]);

    const restarted = await startApp({ dataDir: dir.path });
    try {
      for (const [index, socket] of sockets.entries()) {
        const answers = new Map(socket.frames.flatMap((frame) => (frame.type === 'sent' || frame.type === 'error' ? [[frame.type === 'sent' ? frame.id : frame.ref, frame.type]] : [])));
        const committed = await storedIds(restarted.url, senders[index] as TestUser, conversations[index] as string);
        // Every committed message was answered `sent`, and every `sent` was committed.
        expect(committed.filter((id) => answers.get(id) !== 'sent')).toEqual([]);
        expect([...answers].filter(([, type]) => type === 'sent').length).toBe(committed.length);
        expect(committed.length).toBeLessThanOrEqual(written[index]?.length ?? 0);
      }
    } finally {
      await restarted.stop({ keepData: true });
    }
  }, 60_000);

  it('finishes the work of sessions that just closed (their last ack, compaction) before closing the store', async () => {
    const log = captureLog();
    const server = await startApp({ dataDir: dir.path }, { logger: log.logger });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const sender = await TestSocket.connect(server.url, alice.token);
    const receiver = await TestSocket.connect(server.url, bob.token);
    const id = randomUUID();
    sender.send({ type: 'send', id, conversation, body: { text: 'hi' } });
    const event = await receiver.next('message', (frame) => frame.id === id);
    receiver.send({ type: 'ack', pos: event.pos });
    await Promise.all([sender.close(), receiver.close()]);
    await server.stop({ keepData: true });
    await eventually(() => log.count('parley stopped') === 1, 'the stop');
    expect(log.records.filter((record) => record.level >= 50)).toEqual([]);
  });
});
