import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessagePage } from '@parley/protocol';
import { captureLog } from '../testing/captured-log.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, request } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';
import { tempDir } from '../testing/temp-dir.js';

/** Flips one byte inside the stored (sealed) body of message `seq`, in the database file itself. */
function flipByteOfBody(databasePath: string, conversation: string, seq: number): void {
  const db = new Database(databasePath, { readonly: true });
  const row = db.prepare<[string, number], { body: Buffer }>('SELECT body FROM messages WHERE conversation_id = ? AND seq = ?').get(conversation, seq);
  db.close();
  if (row === undefined) throw new Error(`no message ${conversation}#${seq}`);
  const bytes = readFileSync(databasePath);
  const offset = bytes.indexOf(row.body);
  if (offset < 0) throw new Error('the sealed body is not in the database file (still in the WAL?)');
  const flipAt = offset + Math.floor(row.body.length / 2);
  const file = openSync(databasePath, 'r+');
  writeSync(file, Buffer.from([(bytes[flipAt] as number) ^ 0x01]), 0, 1, flipAt);
  closeSync(file);
}

describe('a message whose stored body is corrupted', () => {
  const dir = tempDir();
  let server: RunningApp | undefined;
  afterEach(async () => {
    await server?.stop({ keepData: true });
    dir.remove();
  });

  it('costs that message only: it arrives as an unreadable placeholder, the device syncs, and the operator is told', async () => {
    server = await startApp({ dataDir: dir.path });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const sender = await TestSocket.connect(server.url, alice.token);
    for (const text of ['one', 'two, soon unreadable', 'three']) {
      const id = randomUUID();
      sender.send({ type: 'send', id, conversation, body: { text } });
      await sender.next('sent', (frame) => frame.id === id);
    }
    await sender.close();
    await server.stop({ keepData: true });

    flipByteOfBody(join(dir.path, 'parley.db'), conversation, 2);

    const log = captureLog();
    server = await startApp({ dataDir: dir.path }, { logger: log.logger });
    const receiver = await TestSocket.connect(server.url, bob.token);
    const messages = receiver.events().filter((event) => event.type === 'message');
    expect(messages.map((message) => [message.seq, message.body.text, message.unreadable])).toEqual([
      [1, 'one', undefined],
      [2, '', true],
      [3, 'three', undefined],
    ]);
    const logged = await log.waitFor('a message body cannot be decrypted; it is served as unreadable');
    expect(logged).toMatchObject({ conversationId: conversation, seq: 2 });
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^parley_unreadable_messages_total 1$/m);

    const history = await request<MessagePage>(server.url, 'GET', `/v1/conversations/${conversation}/messages`, { token: bob.token });
    expect(history.status).toBe(200);
    expect(history.body.messages.map((message) => message.unreadable ?? false)).toEqual([false, true, false]);

    // New messages still reach the device.
    const again = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    again.send({ type: 'send', id, conversation, body: { text: 'four' } });
    expect((await receiver.next('message', (frame) => frame.id === id)).body.text).toBe('four');
    await Promise.all([again.close(), receiver.close()]);
  });
});
