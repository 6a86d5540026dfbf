import type Database from 'better-sqlite3';
import type { ConversationHead } from '../../chat/append-message-rule.js';
import type { Message } from '../../chat/model.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import { lastSeqOf } from './heads.js';
import { LogMoves, unmoved } from './log-moves.js';
import { LogRowIds } from './log-row-ids.js';
import { logSlices, sliceOf } from './log-slices.js';
import { toConversationKind, toMessage, type MessageRow } from '../rows.js';

/** Messages the log holds at most before the write that reaches it moves them all. */
const messagesBeforeMove = 20_000;

/**
 * A message read back from the log (at start, after a rollback), its body
 * still sealed: opening every body cost three quarters of a reload, and only
 * a retried send (`find`) reads one.
 */
interface SealedMessage {
  conversationId: string;
  seq: number;
  id: string;
  senderId: string;
  at: number;
  row: MessageRow;
}

type LoggedMessage = Message | SealedMessage;

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
  private readonly ids = new LogRowIds();
  private readonly moves: LogMoves;
  /** The messages now in the log, by `sender id`. */
  private readonly logged = new Map<string, LoggedMessage>();
  /** The keys of `logged`, per slice. */
  private readonly loggedKeys: string[][] = Array.from({ length: logSlices }, () => []);
  /** The logged messages of each conversation, in seq order: its newest, above every seq in `messages`. */
  private readonly loggedByConversation = new Map<string, LoggedMessage[]>();
  private readonly heads = new Map<string, ConversationHead>();
  private readonly insertRow;
  private readonly moveAllRows;
  private readonly deleteAllRows;
  private readonly moveSliceRows;
  private readonly selectLogged;
  private readonly selectHead;

  constructor(
    db: Database.Database,
    private readonly bodies: RowCipher,
    private readonly maxHeads: number,
  ) {
    this.moves = new LogMoves(db, 'message_log');
    this.insertRow = db.prepare<[Record<string, string | number | Buffer>]>(
      `INSERT INTO message_log (id, conversation_id, seq, message_id, sender_id, device_id, at, body, key_id, withheld, slice)
       VALUES (@log_id, @conversation_id, @seq, @id, @sender_id, @device_id, @at, @body, @key_id, @withheld, @slice)`,
    );
    const move = `INSERT INTO messages (conversation_id, seq, id, sender_id, device_id, at, body, key_id, withheld)
       SELECT conversation_id, seq, message_id, sender_id, device_id, at, body, key_id, withheld FROM message_log`;
    this.moveAllRows = db.prepare(`${move} WHERE ${unmoved('message_log')} ORDER BY conversation_id, seq`);
    this.deleteAllRows = db.prepare('DELETE FROM message_log');
    // The ids come as a JSON array: a lookup by rowid each.
    this.moveSliceRows = db.prepare<[string]>(`${move} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY conversation_id, seq`);
    this.selectLogged = db.prepare<[], MessageRow & { log_id: number; slice: number }>(
      `SELECT id AS log_id, conversation_id, seq, message_id AS id, sender_id, device_id, at, body, key_id, slice FROM message_log
       WHERE ${unmoved('message_log')} ORDER BY log_id`,
    );
    this.selectHead = db.prepare<[{ conversationId: string }], { kind: string; last_seq: number; last_at: number | null }>(
      `SELECT c.kind, ${lastSeqOf('@conversationId')} AS last_seq,
         (SELECT head_a.at FROM messages head_a WHERE head_a.conversation_id = @conversationId ORDER BY head_a.seq DESC LIMIT 1) AS last_at
       FROM conversations c WHERE c.id = @conversationId`,
    );
    // Messages logged before a restart: known again from the log itself.
    this.reload();
  }

  insert(message: Message, withheld: boolean): void {
    const slice = sliceOf(message.conversationId);
    const logId = this.ids.nextId;
    this.remember(message, slice, logId);
    this.insertRow.run({
      log_id: logId,
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
    const head = this.heads.get(message.conversationId);
    if (head !== undefined) {
      head.lastSeq = message.seq;
      head.lastAt = message.at;
    }
  }

  /** The logged message stored under `(senderId, id)`; undefined when it is not in the log (it may be in `messages`). */
  find(senderId: string, id: string): Message | undefined {
    const logged = this.logged.get(keyOf(senderId, id));
    return logged !== undefined && 'row' in logged ? toMessage(logged.row, this.bodies) : logged;
  }

  /**
   * The newest seq in `(low, high]` of a message of `senderId` among the
   * conversation's logged messages; undefined when none is there (an older
   * one may be in `messages`).
   */
  newestOf(conversationId: string, senderId: string, low: number, high: number): number | undefined {
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
    const known = this.heads.get(conversationId);
    if (known !== undefined) return known;
    const row = this.selectHead.get({ conversationId });
    if (row === undefined) return undefined;
    // The log holds the conversation's newest messages, if any; the table the rest.
    const newest = this.loggedByConversation.get(conversationId)?.at(-1);
    const head: ConversationHead = {
      kind: toConversationKind(row.kind),
      lastSeq: newest?.seq ?? row.last_seq,
      lastAt: newest?.at ?? row.last_at ?? undefined,
    };
    if (this.heads.size >= this.maxHeads) this.heads.clear();
    this.heads.set(conversationId, head);
    return head;
  }

  hasPending(): boolean {
    return this.ids.total > 0;
  }

  /** Whether the rounds of slice moves have work: rows to move, or moved rows to delete. */
  needsMoves(): boolean {
    return this.ids.total > 0 || this.moves.holdsMovedRows();
  }

  isFull(): boolean {
    return this.ids.total >= messagesBeforeMove;
  }

  /** Moves every logged message into `messages`; inside a write transaction. */
  moveAll(): void {
    // With none to move, the log may still hold moved rows, which new ids must stay above.
    if (this.ids.total === 0) return;
    this.moveAllRows.run();
    this.deleteAllRows.run();
    this.moves.clear();
    this.forgetLogged();
  }

  /** Moves the logged messages of one slice of the conversations into `messages`; inside a write transaction. */
  moveSlice(slice: number): void {
    const ids = this.ids.takeSlice(slice);
    if (ids !== undefined) this.moveSliceRows.run(ids);
    this.moves.moved(slice, this.ids.nextId, ids !== undefined);
    if (ids === undefined) return;
    const keys = this.loggedKeys[slice] ?? [];
    for (const key of keys) {
      const message = this.logged.get(key);
      if (message !== undefined) this.loggedByConversation.delete(message.conversationId);
      this.logged.delete(key);
    }
    keys.length = 0;
  }

  /**
   * After a rolled-back batch the log holds what was committed before it:
   * known again by reading it, not by moving it (a move needs room, which a
   * full disk, the usual cause, does not have).
   */
  reload(): void {
    this.forgetLogged();
    this.heads.clear();
    this.moves.load();
    this.ids.passed(this.moves.highest());
    for (const row of this.selectLogged.all()) {
      this.remember({ conversationId: row.conversation_id, seq: row.seq, id: row.id, senderId: row.sender_id, at: row.at, row }, row.slice, row.log_id);
    }
  }

  private remember(message: LoggedMessage, slice: number, logId: number): void {
    this.ids.add(slice, logId);
    const key = keyOf(message.senderId, message.id);
    this.logged.set(key, message);
    this.loggedKeys[slice]?.push(key);
    const ofConversation = this.loggedByConversation.get(message.conversationId);
    if (ofConversation === undefined) this.loggedByConversation.set(message.conversationId, [message]);
    else ofConversation.push(message);
  }

  private forgetLogged(): void {
    this.ids.clear();
    this.logged.clear();
    this.loggedKeys.forEach((keys) => (keys.length = 0));
    this.loggedByConversation.clear();
  }
}

function keyOf(senderId: string, id: string): string {
  return `${senderId} ${id}`;
}
