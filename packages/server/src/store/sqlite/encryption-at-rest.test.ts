import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir.js';
import { SqliteStore } from './sqlite-store.js';

const users = [
  { id: 'u_alice', username: 'alice', displayName: 'Alice', passwordHash: 'h', createdAt: 1 },
  { id: 'u_bob', username: 'bob', displayName: 'Bob', passwordHash: 'h', createdAt: 1 },
];
const direct = { id: 'c_1', userIds: ['u_alice', 'u_bob'] as [string, string], createdBy: 'u_alice', createdAt: 2 };
const draft = (text: string, n: number) => ({
  conversationId: 'c_1',
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  senderId: 'u_alice',
  deviceId: 'd_1',
  at: 10 + n,
  bodyJson: JSON.stringify({ text }),
});
const visible = { from: 1, to: Number.MAX_SAFE_INTEGER };

describe('SqliteStore encryption at rest', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  const masterKey = randomBytes(32);

  beforeEach(async () => {
    dir = tempDir();
    path = join(dir.path, 'parley.db');
    const store = SqliteStore.open(path, { masterKey });
    await Promise.all(users.map((user) => store.createUser(user)));
    await store.openDirectConversation(direct);
    await store.close();
  });
  afterEach(() => dir.remove());

  it('leaves no plaintext of a message in the database, its WAL or any other file beside it', async () => {
    const store = SqliteStore.open(path, { masterKey });
    const secret = 'the eagle lands at midnight 7f3a';
    await store.append(draft(secret, 1));
    expect((await store.readHistory('c_1', { limit: 10 }, visible))[0]?.bodyJson).toContain(secret);
    const files = readdirSync(dir.path);
    expect(files.some((file) => file.endsWith('-wal'))).toBe(true);
    for (const file of files) expect(readFileSync(join(dir.path, file)).includes(Buffer.from(secret))).toBe(false);
    await store.close();
    for (const file of readdirSync(dir.path)) expect(readFileSync(join(dir.path, file)).includes(Buffer.from(secret))).toBe(false);
  });

  it("reads two swapped encrypted rows as unreadable and reports each, never as the other's content", async () => {
    const store = SqliteStore.open(path, { masterKey });
    await store.append(draft('first', 1));
    await store.append(draft('second', 2));
    await store.close();
    const raw = new Database(path);
    const rows = raw.prepare('SELECT seq, body FROM messages ORDER BY seq').all() as { seq: number; body: Buffer }[];
    const update = raw.prepare('UPDATE messages SET body = ? WHERE seq = ?');
    update.run(rows[1]?.body, 1);
    update.run(rows[0]?.body, 2);
    raw.close();
    const reported: string[] = [];
    const reopened = SqliteStore.open(path, {
      masterKey,
      onUnreadableMessage: (conversationId, seq, error) => reported.push(`${conversationId}#${seq}: ${String(error)}`),
    });
    const history = await reopened.readHistory('c_1', { limit: 10 }, visible);
    expect(history.map((message) => [message.bodyJson, message.unreadable])).toEqual([
      ['{"text":""}', true],
      ['{"text":""}', true],
    ]);
    expect(reported.sort()).toEqual([expect.stringMatching(/c_1#1: .*failed to decrypt/), expect.stringMatching(/c_1#2: .*failed to decrypt/)]);
    await reopened.close();
  });

  it('keeps old messages readable after rotation, and re-encrypts them under the new key', async () => {
    const store = SqliteStore.open(path, { masterKey });
    await store.append(draft('before rotation', 1));
    expect(await store.rotateDataKey(100)).toBe(2);
    await store.append(draft('after rotation', 2));
    const texts = async (s: SqliteStore) => (await s.readHistory('c_1', { limit: 10 }, visible)).map((m) => JSON.parse(m.bodyJson).text);
    expect(await texts(store)).toEqual(['before rotation', 'after rotation']);
    const keyIds = () => {
      const raw = new Database(path, { readonly: true });
      const ids = (raw.prepare('SELECT key_id FROM messages ORDER BY seq').all() as { key_id: number }[]).map((row) => row.key_id);
      raw.close();
      return ids;
    };
    expect(keyIds()).toEqual([1, 2]);
    expect(await store.reencrypt(100)).toBe(1);
    expect(await store.reencrypt(100)).toBe(0);
    expect(keyIds()).toEqual([2, 2]);
    expect(await texts(store)).toEqual(['before rotation', 'after rotation']);
    await store.close();
  });

  it('lets a running store follow a rotation made by another process', async () => {
    const server = SqliteStore.open(path, { masterKey });
    const tool = SqliteStore.open(path, { masterKey });
    await tool.rotateDataKey(100);
    await tool.close();
    await server.append(draft('written after the other process rotated', 1));
    expect((await server.readHistory('c_1', { limit: 1 }, visible))[0]?.bodyJson).toContain('rotated');
    await server.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT key_id FROM messages').get()).toEqual({ key_id: 2 });
    raw.close();
  });

  it('refuses to open with a wrong master key', () => {
    expect(() => SqliteStore.open(path, { masterKey: randomBytes(32) })).toThrow(/master key/);
  });
});
