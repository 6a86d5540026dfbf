import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newConversationId, newDeviceId, newUserId } from '../../chat/ids.js';
import type { Message, StreamEntry } from '../../chat/model.js';
import { eventually } from '../../testing/eventually.js';
import { SyncGate } from '../../testing/sync-gate.js';
import { describeStoreContract } from '../store.contract.js';
import { configureDurability } from './durability.js';
import { migrate, schemaVersion } from './schema.js';
import { logSlices, sliceOf } from './log-slices.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

const directories: string[] = [];

function freshFile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'parley-sqlite-'));
  directories.push(directory);
  return join(directory, 'parley.db');
}

afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describeStoreContract('SqliteStore', async () => SqliteStore.open(freshFile()));
describeStoreContract('SqliteStore with encryption at rest', async () => SqliteStore.open(freshFile(), { masterKey: randomBytes(32) }));

describe('SqliteStore', () => {
  const alice = { id: 'u_alice', username: 'alice', displayName: 'Alice', passwordHash: 'h', createdAt: 1 };
  const bob = { id: 'u_bob', username: 'bob', displayName: 'Bob', passwordHash: 'h', createdAt: 1 };
  const direct = { id: 'c_1', userIds: ['u_alice', 'u_bob'] as [string, string], createdBy: 'u_alice', createdAt: 2 };
  const draft = (n: number) => ({
    conversationId: 'c_1',
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    senderId: 'u_alice',
    deviceId: 'd_1',
    at: 10 + n,
    bodyJson: JSON.stringify({ text: `m${n}` }),
  });

  /** A database at schema `version` holding Alice, Bob and their direct chat `c_1` (no members yet), and what `fill` adds. */
  function databaseAtVersion(version: number, fill: (db: Database.Database) => void): string {
    const path = freshFile();
    const old = new Database(path);
    configureDurability(old);
    migrate(old, version);
    old.exec(`
      INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ('u_alice', 'alice', 'A', 'h', 1), ('u_bob', 'bob', 'B', 'h', 1);
      INSERT INTO conversations (id, kind, created_at, created_by, direct_key) VALUES ('c_1', 'direct', 2, 'u_alice', 'u_alice:u_bob');
    `);
    fill(old);
    old.close();
    return path;
  }

  async function storeWithConversation(path: string, options?: SqliteStoreOptions) {
    const store = SqliteStore.open(path, options);
    await Promise.all([store.createUser(alice), store.createUser(bob)]);
    await store.openDirectConversation(direct);
    return store;
  }

  it('runs in WAL mode with synchronous=NORMAL, syncs the WAL file itself, and has foreign keys on', async () => {
    const store = SqliteStore.open(freshFile());
    expect(store.durability()).toMatchObject({ journalMode: 'wal', synchronous: 1, walSynced: true, foreignKeys: true });
    await store.close();
  });

  it('reports the WAL as not synced once its file is removed from under the store', async () => {
    const path = freshFile();
    const store = SqliteStore.open(path);
    unlinkSync(`${path}-wal`);
    expect(store.durability()).toMatchObject({ walSynced: false });
    await store.close();
  });

  it('keeps a write pending while its sync is held, and a read issued meanwhile returns its row only after the sync', async () => {
    const gate = new SyncGate();
    const store = await storeWithConversation(freshFile(), { syncWal: gate.syncWal });
    gate.shutNow();
    let appended = false;
    const append = store.append(draft(1)).finally(() => (appended = true));
    await eventually(() => gate.waiting === 1, 'the sync of the append, held');
    let history: Message[] | undefined;
    let stream: StreamEntry[] | undefined;
    const reads = Promise.all([
      store.readHistory('c_1', { limit: 10 }, { from: 1, to: 10 }).then((messages) => (history = messages)),
      store.readStream('u_bob', 0, 10).then((entries) => (stream = entries)),
    ]);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect({ appended, history, stream }).toEqual({ appended: false, history: undefined, stream: undefined });
    gate.open();
    await reads;
    expect(history?.map((message) => message.seq)).toEqual([1]);
    expect(stream?.map((entry) => entry.kind)).toEqual(['conversation', 'message']);
    expect((await append).message.seq).toBe(1);
    expect(gate.completed).toBe(gate.started);
    await store.close();
  });

  // Acked positions live in memory and reach `devices` a slice of the devices at a time, every sixteenth of a second.
  it('writes every device’s acked pos to its row within about a second, without a close', async () => {
    const path = freshFile();
    const store = await storeWithConversation(path);
    // Made as the server makes them, so that they fall in every slice.
    const deviceIds = Array.from({ length: 40 }, () => newDeviceId());
    for (const id of deviceIds) await store.createDevice({ id, userId: 'u_bob', name: id, tokenHash: Buffer.from(id), createdAt: 3 }, 100);
    await Promise.all([1, 2, 3].map((n) => store.append(draft(n))));
    const lastPos = await store.currentPos('u_bob');
    await Promise.all(deviceIds.map((id, n) => store.ackStream(id, 1 + (n % lastPos), 20)));
    const expected = new Map(deviceIds.map((id, n) => [id, 1 + (n % lastPos)]));
    const byId = (positions: Map<string, number>) => [...positions].sort(([a], [b]) => a.localeCompare(b));
    await eventually(() => JSON.stringify(byId(storedAckedPositions(path))) === JSON.stringify(byId(expected)), 'every acked pos in its row', 3_000);
    await store.close();
  });

  // A device's state stays in memory after its write-back: a later ack must be written back again.
  it('writes a device’s acked pos again when it moves after its last write-back', async () => {
    const path = freshFile();
    const store = await storeWithConversation(path);
    const deviceId = newDeviceId();
    await store.createDevice({ id: deviceId, userId: 'u_bob', name: 'phone', tokenHash: Buffer.from(deviceId), createdAt: 3 }, 100);
    await Promise.all([1, 2, 3].map((n) => store.append(draft(n))));
    const storedPos = () => storedAckedPositions(path).get(deviceId);
    await store.ackStream(deviceId, 1, 20);
    await eventually(() => storedPos() === 1, 'the first acked pos in its row', 3_000);
    await store.ackStream(deviceId, 3, 30);
    await eventually(() => storedPos() === 3, 'the second acked pos in its row', 3_000);
    expect((await store.getDevice(deviceId))?.ackedPos).toBe(3);
    await store.close();
  });

  // New rows wait in the logs and move into the tables a slice of the keys at a time, every sixteenth of a second.
  it('moves every slice of the logs into the tables within about a second, each row once', async () => {
    const path = freshFile();
    const store = SqliteStore.open(path);
    const users = Array.from({ length: 64 }, (_, n) => ({ ...alice, id: newUserId(), username: `user${n}` }));
    await Promise.all(users.map((user) => store.createUser(user)));
    const pairs = Array.from({ length: users.length / 2 }, (_, n) => [users[2 * n]?.id ?? '', users[2 * n + 1]?.id ?? ''] as [string, string]);
    const conversations = pairs.map((userIds) => ({ id: newConversationId(), userIds, createdBy: userIds[0], createdAt: 2 }));
    for (const conversation of conversations) await store.openDirectConversation(conversation);
    await Promise.all(conversations.map((conversation, n) => store.append({ ...draft(n), conversationId: conversation.id, senderId: conversation.createdBy })));
    const count = (sql: string) => {
      const raw = new Database(path, { readonly: true });
      try {
        return raw.prepare<[], { count: number }>(sql).get()?.count;
      } finally {
        raw.close();
      }
    };
    expect(count('SELECT count(*) AS count FROM message_log')).toBeGreaterThan(0);
    await eventually(() => count('SELECT (SELECT count(*) FROM event_log) + (SELECT count(*) FROM message_log) AS count') === 0, 'the logs empty', 3_000);
    expect(count('SELECT count(*) AS count FROM messages')).toBe(conversations.length);
    // Each user: the chat's creation, then its message.
    expect(count('SELECT count(*) AS count FROM events')).toBe(users.length * 2);
    for (const user of users) expect((await store.readStream(user.id, 0, 10)).map((entry) => entry.kind)).toEqual(['conversation', 'message']);
    await store.close();
  });

  // What a process that died kept only in memory (heads, the logs' retry index, acks not written back) is rebuilt from the file.
  it('finds every message and event still in the logs after a process that wrote them is gone, and numbers on from them', async () => {
    const path = freshFile();
    const gone = await storeWithConversation(path);
    await Promise.all([1, 2, 3].map((n) => gone.append(draft(n))));
    const logged = (table: string) => {
      const raw = new Database(path, { readonly: true });
      try {
        return raw.prepare<[], { count: number }>(`SELECT count(*) AS count FROM ${table}`).get()?.count;
      } finally {
        raw.close();
      }
    };
    expect(logged('message_log')).toBe(3);
    expect(logged('event_log')).toBeGreaterThanOrEqual(6);

    // Never closed, as after kill -9: nothing it held in memory is written back.
    const store = SqliteStore.open(path);
    const retried = await store.append(draft(2));
    // Read back from the log with its body sealed, and opened for the retry's answer.
    expect(retried).toMatchObject({ duplicate: true, message: { seq: 2, bodyJson: draft(2).bodyJson } });
    expect((await store.append(draft(4))).message.seq).toBe(4);
    expect((await store.readHistory('c_1', { limit: 10 }, { from: 1, to: 10 })).map((message) => message.seq)).toEqual([1, 2, 3, 4]);
    const stream = await store.readStream('u_bob', 0, 10);
    expect(stream.map((entry) => entry.pos)).toEqual([1, 2, 3, 4, 5]);
    expect(stream.slice(1).map((entry) => (entry.kind === 'message' ? entry.message.seq : undefined))).toEqual([1, 2, 3, 4]);
    expect(logged('message_log')).toBe(0);
    await store.close();
    await gone.close();
  });

  // An ack in a direct chat raises the member's delivered seq in memory; `members` learns it with the next move of the logs.
  it('knows what acks delivered in a direct chat after the process that took them is gone: the same ack from another device makes no second receipt', async () => {
    const path = freshFile();
    const gone = await storeWithConversation(path);
    for (const id of ['d_phone', 'd_laptop']) await gone.createDevice({ id, userId: 'u_bob', name: id, tokenHash: Buffer.from(id), createdAt: 3 }, 100);
    await gone.append(draft(1));
    const pos = await gone.currentPos('u_bob');
    expect((await gone.ackStream('d_phone', pos, 20)).appended).toHaveLength(1);
    // A copy of the files as the ack's sync left them: what a process killed now leaves behind.
    const copy = freshFile();
    copyFileSync(`${path}-wal`, `${copy}-wal`);
    copyFileSync(path, copy);
    const storedDeliveredSeq = (file: string) => {
      const raw = new Database(file, { readonly: true });
      try {
        return raw.prepare<[], { seq: number }>("SELECT delivered_seq AS seq FROM members WHERE conversation_id = 'c_1' AND user_id = 'u_bob'").get()?.seq;
      } finally {
        raw.close();
      }
    };
    expect(storedDeliveredSeq(copy)).toBe(0);

    const store = SqliteStore.open(copy);
    expect((await store.getMember('c_1', 'u_bob'))?.deliveredSeq).toBe(1);
    expect((await store.listMembers('c_1')).find((member) => member.userId === 'u_bob')?.deliveredSeq).toBe(1);
    expect((await store.ackStream('d_laptop', pos, 30)).appended).toEqual([]);
    expect((await store.readStream('u_alice', 0, 10)).filter((entry) => entry.kind === 'receipt')).toHaveLength(1);
    await store.close();
    // And the store that took the ack writes it to `members` within about a second.
    await eventually(() => storedDeliveredSeq(path) === 1, 'the delivered seq in its row', 3_000);
    await gone.close();
  });

  // A refused write rolls back its savepoint, and the store reads the logs back: in their order, not their ids'.
  it('numbers on from the logged messages after a refused write, whatever order their ids sort in', async () => {
    const store = await storeWithConversation(freshFile());
    const idOf = (n: number) => `0000000${n}-0000-4000-8000-000000000000`;
    const draftWithId = (n: number, seqOrder: number) => ({ ...draft(seqOrder), id: idOf(n) });
    // Ids that sort against the order the messages were sent in.
    for (const [n, order] of [[9, 1], [5, 2], [1, 3]] as const) await store.append(draftWithId(n, order));
    await expect(store.append({ ...draftWithId(5, 2), bodyJson: JSON.stringify({ text: 'other content' }) })).rejects.toMatchObject({ code: 'conflict' });
    expect((await store.append(draft(4))).message.seq).toBe(4);
    expect((await store.append(draftWithId(9, 1))).message).toMatchObject({ seq: 1 });
    expect((await store.readHistory('c_1', { limit: 10 }, { from: 1, to: 10 })).map((message) => message.seq)).toEqual([1, 2, 3, 4]);
    await store.close();
  });

  it('refuses a database that cannot run in WAL mode', () => {
    expect(() => SqliteStore.open(':memory:')).toThrow(/WAL/);
  });

  it('keeps committed data across close and reopen', async () => {
    const path = freshFile();
    const store = await storeWithConversation(path);
    const appends = [1, 2, 3].map((n) => store.append(draft(n)));
    await store.close();
    await Promise.all(appends);

    const reopened = SqliteStore.open(path);
    expect(await reopened.getUser('u_alice')).toMatchObject({ username: 'alice' });
    const history = await reopened.readHistory('c_1', { limit: 10 }, { from: 1, to: 3 });
    expect(history.map((message) => message.bodyJson)).toEqual(['m1', 'm2', 'm3'].map((text) => JSON.stringify({ text })));
    expect(await reopened.currentPos('u_bob')).toBe(4);
    expect((await reopened.append(draft(4))).message.seq).toBe(4);
    await reopened.close();
  });

  it('keeps seqs dense when groupCommitMaxWrites splits appends into many batches', async () => {
    const store = await storeWithConversation(freshFile(), { groupCommitMaxWrites: 2 });
    const results = await Promise.all(Array.from({ length: 25 }, (_, n) => store.append(draft(n + 1))));
    expect(results.map((result) => result.message.seq)).toEqual(Array.from({ length: 25 }, (_, n) => n + 1));
    expect(await store.currentPos('u_alice')).toBe(26);
    await store.close();
  });

  // A direct conversation refuses membership changes through the port, so the row is edited directly,
  // with the store closed: an open store is the only writer of its file and keeps what it wrote in memory.
  it('refuses a former member with not_member and leaves the conversation out of their list', async () => {
    const path = freshFile();
    const first = await storeWithConversation(path);
    await first.append(draft(1));
    await first.close();
    const other = new Database(path);
    other.prepare("UPDATE members SET left_at_seq = 1 WHERE user_id = 'u_alice'").run();
    other.close();
    const store = SqliteStore.open(path);
    await expect(store.append(draft(2))).rejects.toMatchObject({ code: 'not_member' });
    expect(await store.listConversations('u_alice')).toEqual([]);
    expect(await store.listConversations('u_bob')).toHaveLength(1);
    await store.close();
  });

  it('upgrades a version 1 database in place, keeping its rows and every stream head', async () => {
    const path = freshFile();
    const old = new Database(path);
    configureDurability(old);
    migrate(old, 1);
    const insertUser = old.prepare<[string, string, number]>(
      "INSERT INTO users (id, username, display_name, password_hash, created_at, last_pos) VALUES (?, ?, 'A', 'h', 1, ?)",
    );
    insertUser.run('u_alice', 'alice', 7);
    const insertEvent = old.prepare<[string, number]>(
      "INSERT INTO events (user_id, pos, kind, conversation_id, data_json) VALUES (?, ?, 'conversation', 'c_1', '{}')",
    );
    for (let pos = 1; pos <= 7; pos++) insertEvent.run('u_alice', pos);
    // A counter ahead of every row: the events it counted are gone.
    insertUser.run('u_bob', 'bob', 3);
    old.close();

    const store = SqliteStore.open(path);
    expect(await store.getUser('u_alice')).toMatchObject({ username: 'alice', lastSeenAt: null });
    expect(await store.currentPos('u_alice')).toBe(7);
    expect(await store.streamFloor('u_alice')).toBe(0);
    expect(await store.currentPos('u_bob')).toBe(3);
    expect(await store.streamFloor('u_bob')).toBe(3);
    await store.close();
    const upgraded = new Database(path);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(schemaVersion);
    upgraded.close();
  });

  it('keeps direct-chat members out of the lowest-member indexes, which a group reads with a seek', async () => {
    const path = freshFile();
    const store = await storeWithConversation(path);
    await store.createGroup({ id: 'g_1', name: 'Both', createdBy: 'u_alice', memberIds: ['u_alice', 'u_bob'], createdAt: 3 }, 1024);
    await store.close();
    const db = new Database(path, { readonly: true });
    for (const index of ['members_by_delivered', 'members_by_read']) {
      const indexed = db.prepare(`SELECT conversation_id FROM members INDEXED BY ${index} WHERE left_at_seq IS NULL AND in_group = 1`).all();
      expect(indexed).toEqual([{ conversation_id: 'g_1' }, { conversation_id: 'g_1' }]);
    }
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT user_id FROM members
         WHERE conversation_id = 'g_1' AND left_at_seq IS NULL AND in_group = 1
         ORDER BY max(delivered_seq, joined_after_seq) LIMIT 2`,
      )
      .all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join('; ')).toMatch(/USING INDEX members_by_delivered/);
    db.close();
  });

  it('marks the members of existing direct chats as such when it upgrades, leaving them out of the group indexes', async () => {
    // The last version before member rows said whether they are in a group.
    const path = databaseAtVersion(10, (old) =>
      old.exec(`
        INSERT INTO conversations (id, kind, name, created_at, created_by) VALUES ('g_1', 'group', 'Both', 3, 'u_alice');
        INSERT INTO members (conversation_id, user_id, role, joined_at, joined_after_seq)
        VALUES ('c_1', 'u_alice', 'member', 2, 0), ('c_1', 'u_bob', 'member', 2, 0), ('g_1', 'u_alice', 'admin', 3, 0), ('g_1', 'u_bob', 'member', 3, 0);
      `),
    );

    const store = SqliteStore.open(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT conversation_id, user_id, in_group FROM members ORDER BY conversation_id, user_id').all()).toEqual([
      { conversation_id: 'c_1', user_id: 'u_alice', in_group: 0 },
      { conversation_id: 'c_1', user_id: 'u_bob', in_group: 0 },
      { conversation_id: 'g_1', user_id: 'u_alice', in_group: 1 },
      { conversation_id: 'g_1', user_id: 'u_bob', in_group: 1 },
    ]);
    expect(db.prepare('SELECT count(*) AS count FROM members INDEXED BY members_by_delivered WHERE left_at_seq IS NULL AND in_group = 1').get()).toEqual({ count: 2 });
    db.close();
  });

  it('moves rows an older version left in the logs out of them when it upgrades, and numbers on from them', async () => {
    const wrongSlice = (key: string) => (sliceOf(key) + 1) % logSlices;
    // The last version whose log rows carry a slice by hash.
    const path = databaseAtVersion(11, (old) => {
      old.exec("INSERT INTO members (conversation_id, user_id, role, joined_at, joined_after_seq, in_group) VALUES ('c_1', 'u_alice', 'member', 2, 0, 0), ('c_1', 'u_bob', 'member', 2, 0, 0)");
      old
        .prepare('INSERT INTO message_log (conversation_id, seq, message_id, sender_id, device_id, at, body, key_id, withheld, slice) VALUES (?, 1, ?, ?, ?, 11, ?, 0, 0, ?)')
        .run('c_1', draft(1).id, 'u_alice', 'd_1', Buffer.from(draft(1).bodyJson), wrongSlice('c_1'));
      const logEvent = old.prepare("INSERT INTO event_log (user_id, pos, kind, conversation_id, seq, slice) VALUES (?, 1, 'message', 'c_1', 1, ?)");
      for (const userId of ['u_alice', 'u_bob']) logEvent.run(userId, wrongSlice(userId));
    });

    const store = SqliteStore.open(path);
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT (SELECT count(*) FROM event_log) + (SELECT count(*) FROM message_log) AS logged').get()).toEqual({ logged: 0 });
    raw.close();
    expect(await store.append(draft(1))).toMatchObject({ duplicate: true, message: { seq: 1 } });
    expect((await store.append(draft(2))).message.seq).toBe(2);
    const stream = await store.readStream('u_bob', 0, 10);
    expect(stream.map((entry) => entry.pos)).toEqual([1, 2]);
    expect(stream).toMatchObject([{ message: { seq: 1, bodyJson: draft(1).bodyJson } }, { message: { seq: 2 } }]);
    await store.close();
  });

  it('creates a 1,024-member group and fans a message out to it in well under a second each', async () => {
    const store = SqliteStore.open(freshFile());
    const users = Array.from({ length: 1024 }, (_, n) => ({ ...alice, id: `u_${n}`, username: `user${n}` }));
    await Promise.all(users.map((user) => store.createUser(user)));
    const memberIds = users.map((user) => user.id);
    let started = performance.now();
    await store.createGroup({ id: 'g_big', name: 'Everyone', createdBy: 'u_0', memberIds, createdAt: 2 }, 1024);
    expect(performance.now() - started).toBeLessThan(1_000);
    started = performance.now();
    await store.append({ ...draft(1), conversationId: 'g_big', senderId: 'u_0' });
    expect(performance.now() - started).toBeLessThan(1_000);
    await store.close();
  });

  it("opens a message once for all the streams that replay it: every member's read hands back the same message", async () => {
    const store = SqliteStore.open(freshFile(), { masterKey: randomBytes(32) });
    await Promise.all([store.createUser(alice), store.createUser(bob)]);
    await store.openDirectConversation(direct);
    await store.append(draft(1));
    const messageOf = async (userId: string) => {
      const entry = (await store.readStream(userId, 0, 10)).find((candidate) => candidate.kind === 'message');
      return entry?.kind === 'message' ? entry.message : undefined;
    };
    const atAlice = await messageOf('u_alice');
    expect(atAlice).toMatchObject({ seq: 1, bodyJson: draft(1).bodyJson });
    expect(await messageOf('u_bob')).toBe(atAlice);
    await store.close();
  });

  it('refuses a groupCommitMaxWrites below 1', () => {
    expect(() => SqliteStore.open(freshFile(), { groupCommitMaxWrites: 0 })).toThrow(/groupCommitMaxWrites/);
  });
});

/** Each device's acked pos as its row in `devices` holds it, read beside the store. */
function storedAckedPositions(path: string): Map<string, number> {
  const raw = new Database(path, { readonly: true });
  try {
    const rows = raw.prepare<[], { id: string; acked_pos: number }>('SELECT id, acked_pos FROM devices').all();
    return new Map(rows.map((row) => [row.id, row.acked_pos]));
  } finally {
    raw.close();
  }
}
