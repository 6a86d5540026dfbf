import type Database from 'better-sqlite3';
import type { ConversationHead } from '../../chat/append-message-rule.js';
import type { Message } from '../../chat/model.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import { lastSeqOf } from './heads.js';
import { logSlices, sliceOf } from './log-slices.js';
import { toConversationKind } from './rows.js';

/** Messages the log holds at most before the write that reaches it moves them all. */
const messagesBeforeMove = 20_000;

/**
 * Where new messages are written: `message_log`, appended in rowid order, so
 * the messages of a batch share a few pages. In `messages`, each insert also
 * dirtied a page of the (conversation, seq) index and one of the
 * (sender, id) index, both at random places, each written whole to the WAL
 * at commit. The log is moved into `messages` in bulk, a slice of
 * the conversations at a time (log-slices.ts), sorted by conversation and
 * seq, and all of it before anything reads `messages`; meanwhile the log's messages are known here: by (sender, id)
 * for the retry check, and as each conversation's head.
 *
 * After a rolled-back batch what is known here may be gone from the log:
 * everything is forgotten and the next write moves the log before reading.
 */
export class MessageLog {
  /** Messages in the log, per slice. */
  private readonly pending: number[] = new Array<number>(logSlices).fill(0);
  private total = 0;
  /** The messages now in the log, by `sender id`. */
  private readonly logged = new Map<string, Message>();
  /** The keys of `logged`, per slice. */
  private readonly loggedKeys: string[][] = Array.from({ length: logSlices }, () => []);
  /** The logged messages of each conversation, in seq order: its newest, above every seq in `messages`. */
  private readonly loggedByConversation = new Map<string, Message[]>();
  private readonly heads = new Map<string, ConversationHead>();
  private mustMoveFirst = false;
  private readonly insertRow;
  private readonly moveAllRows;
  private readonly deleteAllRows;
  private readonly moveSliceRows;
  private readonly deleteSliceRows;
  private readonly countRows;
  private readonly selectHead;

  constructor(
    db: Database.Database,
    private readonly bodies: RowCipher,
    private readonly maxHeads: number,
  ) {
    this.insertRow = db.prepare<[Record<string, string | number | Buffer>]>(
      `INSERT INTO message_log (conversation_id, seq, message_id, sender_id, device_id, at, body, key_id, withheld, slice)
       VALUES (@conversation_id, @seq, @id, @sender_id, @device_id, @at, @body, @key_id, @withheld, @slice)`,
    );
    const move = `INSERT INTO messages (conversation_id, seq, id, sender_id, device_id, at, body, key_id, withheld)
       SELECT conversation_id, seq, message_id, sender_id, device_id, at, body, key_id, withheld FROM message_log`;
    this.moveAllRows = db.prepare(`${move} ORDER BY conversation_id, seq`);
    this.deleteAllRows = db.prepare('DELETE FROM message_log');
    this.moveSliceRows = db.prepare<[number]>(`${move} WHERE slice = ? ORDER BY conversation_id, seq`);
    this.deleteSliceRows = db.prepare<[number]>('DELETE FROM message_log WHERE slice = ?');
    this.countRows = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM message_log');
    this.selectHead = db.prepare<[{ conversationId: string }], { kind: string; last_seq: number; last_at: number | null }>(
      `SELECT c.kind, ${lastSeqOf('@conversationId')} AS last_seq,
         (SELECT head_a.at FROM messages head_a WHERE head_a.conversation_id = @conversationId ORDER BY head_a.seq DESC LIMIT 1) AS last_at
       FROM conversations c WHERE c.id = @conversationId`,
    );
    // Messages logged before a restart are not known here: the first write moves them.
    this.mustMoveFirst = this.count() > 0;
  }

  insert(message: Message, withheld: boolean): void {
    const slice = sliceOf(message.conversationId);
    this.insertRow.run({
      conversation_id: message.conversationId,
      seq: message.seq,
      id: message.id,
      sender_id: message.senderId,
      device_id: message.deviceId,
      at: message.at,
      ...this.bodies.sealBody(message.bodyJson, message.conversationId, message.seq),
      withheld: withheld ? 1 : 0,
      slice,
    });
    this.pending[slice] = (this.pending[slice] ?? 0) + 1;
    this.total += 1;
    const key = keyOf(message.senderId, message.id);
    this.logged.set(key, message);
    this.loggedKeys[slice]?.push(key);
    const ofConversation = this.loggedByConversation.get(message.conversationId);
    if (ofConversation === undefined) this.loggedByConversation.set(message.conversationId, [message]);
    else ofConversation.push(message);
    const head = this.heads.get(message.conversationId);
    if (head !== undefined) {
      head.lastSeq = message.seq;
      head.lastAt = message.at;
    }
  }

  /** The logged message stored under `(senderId, id)`; undefined when it is not in the log (it may be in `messages`). */
  find(senderId: string, id: string): Message | undefined {
    this.moveIfUnsure();
    return this.logged.get(keyOf(senderId, id));
  }

  /**
   * The newest seq in `(low, high]` of a message of `senderId` among the
   * conversation's logged messages; undefined when none is there (an older
   * one may be in `messages`).
   */
  newestOf(conversationId: string, senderId: string, low: number, high: number): number | undefined {
    this.moveIfUnsure();
    const logged = this.loggedByConversation.get(conversationId) ?? [];
    for (let i = logged.length - 1; i >= 0; i--) {
      const message = logged[i];
      if (message === undefined || message.seq <= low) return undefined;
      if (message.seq <= high && message.senderId === senderId) return message.seq;
    }
    return undefined;
  }

  /** The conversation's kind and newest message, the log's included; inside a write transaction. */
  head(conversationId: string): ConversationHead | undefined {
    this.moveIfUnsure();
    const known = this.heads.get(conversationId);
    if (known !== undefined) return known;
    // The table's newest row is the head only once the log's messages are in it.
    this.moveAll();
    const row = this.selectHead.get({ conversationId });
    if (row === undefined) return undefined;
    const head: ConversationHead = { kind: toConversationKind(row.kind), lastSeq: row.last_seq, lastAt: row.last_at ?? undefined };
    if (this.heads.size >= this.maxHeads) this.heads.clear();
    this.heads.set(conversationId, head);
    return head;
  }

  hasPending(): boolean {
    return this.total > 0 || this.mustMoveFirst;
  }

  isFull(): boolean {
    return this.total >= messagesBeforeMove;
  }

  /** Moves every logged message into `messages`; inside a write transaction. */
  moveAll(): void {
    if (this.total > 0 || this.mustMoveFirst) {
      this.moveAllRows.run();
      this.deleteAllRows.run();
    }
    this.pending.fill(0);
    this.total = 0;
    this.logged.clear();
    this.loggedKeys.forEach((keys) => (keys.length = 0));
    this.loggedByConversation.clear();
    this.mustMoveFirst = false;
  }

  /** Moves the logged messages of one slice of the conversations into `messages`; inside a write transaction. */
  moveSlice(slice: number): void {
    if (this.mustMoveFirst) return this.moveAll();
    const count = this.pending[slice] ?? 0;
    if (count === 0) return;
    this.moveSliceRows.run(slice);
    this.deleteSliceRows.run(slice);
    this.pending[slice] = 0;
    this.total -= count;
    const keys = this.loggedKeys[slice] ?? [];
    for (const key of keys) {
      const message = this.logged.get(key);
      if (message !== undefined) this.loggedByConversation.delete(message.conversationId);
      this.logged.delete(key);
    }
    keys.length = 0;
  }

  /** After a rolled-back batch: the log holds what was committed before it, which this no longer knows. */
  forget(): void {
    this.pending.fill(0);
    this.total = 0;
    this.logged.clear();
    this.loggedKeys.forEach((keys) => (keys.length = 0));
    this.loggedByConversation.clear();
    this.heads.clear();
    this.mustMoveFirst = this.count() > 0;
  }

  private moveIfUnsure(): void {
    if (this.mustMoveFirst) this.moveAll();
  }

  private count(): number {
    return this.countRows.get()?.count ?? 0;
  }
}

function keyOf(senderId: string, id: string): string {
  return `${senderId} ${id}`;
}
