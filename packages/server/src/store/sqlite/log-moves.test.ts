import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newConversationId, newUserId } from '../../chat/ids.js';
import { RowCipher } from '../../keys/row-cipher.js';
import { tempDir } from '../../testing/temp-dir.js';
import { configureDurability } from './durability.js';
import { EventLog } from './event-log.js';
import { logSlices, sliceOf } from './log-slices.js';
import { MessageLog } from './message-log.js';
import { migrate } from './schema.js';

/** One id per slice, in slice order. */
function onePerSlice(newId: () => string): string[] {
  const ids: string[] = [];
  while (ids.filter((id) => id !== undefined).length < logSlices) {
    const id = newId();
    ids[sliceOf(id)] ??= id;
  }
  return ids;
}

describe('the logs’ slice moves', () => {
  let dir: ReturnType<typeof tempDir>;
  let path: string;
  let db: Database.Database;

  beforeEach(() => {
    dir = tempDir();
    path = join(dir.path, 'parley.db');
    db = new Database(path);
    configureDurability(db);
    migrate(db);
  });

  afterEach(() => {
    db.close();
    dir.remove();
  });

  const count = (table: string) => db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n;
  const inTransaction = (work: () => void) => db.transaction(work).immediate();

  describe('EventLog', () => {
    const users = onePerSlice(newUserId);
    const appendOneEach = (log: EventLog, pos: number) =>
      inTransaction(() => users.forEach((userId) => log.append(userId, pos, 'conversation', 'c_1', null, '{}')));
    const moveSlices = (log: EventLog, slices: number[]) => inTransaction(() => slices.forEach((slice) => log.moveSlice(slice)));
    const allButLast = Array.from({ length: logSlices - 1 }, (_, slice) => slice);

    beforeEach(() => {
      const insertUser = db.prepare<[string, string]>("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, '', 'h', 1)");
      for (const id of users) insertUser.run(id, id);
      db.exec("INSERT INTO conversations (id, kind, created_at, created_by) VALUES ('c_1', 'group', 1, 'u_x')");
    });

    it('leaves moved events in the log, read as moved after a restart, until the last slice of a round deletes them all', () => {
      const log = new EventLog(db);
      appendOneEach(log, 1);
      moveSlices(log, allButLast);
      expect(count('events')).toBe(logSlices - 1);
      expect(count('event_log')).toBe(logSlices);

      // A store opened on this file (after kill -9) moves the last slice's event alone.
      const restarted = new EventLog(db);
      expect(restarted.hasPending()).toBe(true);
      moveSlices(restarted, allButLast);
      expect(count('events')).toBe(logSlices - 1);
      moveSlices(restarted, [logSlices - 1]);
      expect(count('events')).toBe(logSlices);
      expect(count('event_log')).toBe(0);
      expect(restarted.hasPending()).toBe(false);
      expect(restarted.needsMoves()).toBe(false);
    });

    it('numbers a restarted log’s events above every slice’s mark, so that none reads as moved', () => {
      const log = new EventLog(db);
      appendOneEach(log, 1);
      moveSlices(log, [...allButLast, logSlices - 1]);
      expect(count('event_log')).toBe(0);

      const restarted = new EventLog(db);
      appendOneEach(restarted, 2);
      const again = new EventLog(db);
      expect(again.hasPending()).toBe(true);
      moveSlices(again, [...allButLast, logSlices - 1]);
      expect(count('events')).toBe(2 * logSlices);
      expect(count('event_log')).toBe(0);
    });

    it('moves only the events not yet moved when the whole log moves, and forgets the marks', () => {
      const log = new EventLog(db);
      appendOneEach(log, 1);
      moveSlices(log, [0, 1, 2, 3]);
      inTransaction(() => log.moveAll());
      expect(count('events')).toBe(logSlices);
      expect(count('event_log')).toBe(0);
      expect(count('log_moves')).toBe(0);
      expect(log.needsMoves()).toBe(false);
    });
  });

  describe('MessageLog', () => {
    const conversations = onePerSlice(newConversationId);
    const message = (conversationId: string) => ({
      conversationId,
      seq: 1,
      id: `00000000-0000-4000-8000-${conversationId.slice(-12).padStart(12, '0')}`,
      senderId: 'u_alice',
      deviceId: 'd_1',
      at: 1,
      bodyJson: '{"text":"hi"}',
    });

    it('reads a moved message as moved after a restart: the retry check finds it in `messages`, not in the log', () => {
      const insertConversation = db.prepare<[string]>("INSERT INTO conversations (id, kind, created_at, created_by) VALUES (?, 'group', 1, 'u_alice')");
      for (const id of conversations) insertConversation.run(id);
      const log = new MessageLog(db, new RowCipher(undefined), 100);
      inTransaction(() => conversations.forEach((conversationId) => log.insert(message(conversationId), false)));
      const [first, second] = conversations as [string, string];
      inTransaction(() => log.moveSlice(sliceOf(first)));
      expect(count('messages')).toBe(1);
      expect(count('message_log')).toBe(logSlices);

      const restarted = new MessageLog(db, new RowCipher(undefined), 100);
      expect(restarted.find('u_alice', message(first).id)).toBeUndefined();
      expect(restarted.find('u_alice', message(second).id)?.bodyJson).toBe('{"text":"hi"}');
      inTransaction(() => conversations.forEach((conversationId) => restarted.moveSlice(sliceOf(conversationId))));
      expect(count('messages')).toBe(logSlices);
      expect(count('message_log')).toBe(0);
    });

    it('numbers new messages above the moved ones when a whole move finds nothing left to move', () => {
      const insertConversation = db.prepare<[string]>("INSERT INTO conversations (id, kind, created_at, created_by) VALUES (?, 'group', 1, 'u_alice')");
      for (const id of conversations) insertConversation.run(id);
      const log = new MessageLog(db, new RowCipher(undefined), 100);
      const [first, second] = conversations as [string, string];
      inTransaction(() => log.insert(message(first), false));
      inTransaction(() => log.moveSlice(sliceOf(first)));
      inTransaction(() => log.moveAll());
      inTransaction(() => log.insert(message(second), false));
      expect(count('message_log')).toBe(2);
      expect(new MessageLog(db, new RowCipher(undefined), 100).find('u_alice', message(second).id)).toBeDefined();
    });
  });
});
