import type { AppendTransaction, ConversationHead } from '../../chat/append-message-rule.js';
import type { MembershipState } from '../../chat/membership-rule.js';
import type { Delivery, Message } from '../../chat/model.js';
import type { PushCandidate, PushJobRow } from '../../chat/push-queue-rule.js';
import { assert } from '../../lib/assert.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import { toConversationKind, toMessage, type MessageRow } from '../sqlite/rows.js';
import { messageColumns } from './columns.js';
import { PushJobRows } from './push-job-rows.js';
import type { AsyncRows } from './replay-rule.js';
import { rowOf, rowsOf, query, type Queryable } from './sql.js';
import { StreamRows } from './stream-rows.js';

interface LockedRow {
  kind: string;
  last_seq: number;
  last_at: number | null;
  is_member: boolean;
  left_at_seq: number | null;
}

/**
 * The rows `appendMessage` reads and writes, inside the append's transaction.
 * `lock` takes the conversation's row lock first, before any rule reads
 * anything: every write to a conversation (appends, reads, membership
 * changes) takes it, so the membership and the head the rule sees cannot
 * change before the commit, and the seq it assigns is the next one.
 */
export class AppendRows implements AsyncRows<AppendTransaction> {
  private readonly streams: StreamRows;
  private readonly pushJobs: PushJobRows;

  private constructor(
    private readonly sql: Queryable,
    private readonly cipher: RowCipher,
    private readonly locked: { conversationId: string; senderId: string; head: ConversationHead | undefined; sender: MembershipState | undefined },
  ) {
    this.streams = new StreamRows(sql);
    this.pushJobs = new PushJobRows(sql);
  }

  /** Locks the conversation and reads its head and the sender's membership, in one round trip. */
  static async lock(sql: Queryable, cipher: RowCipher, conversationId: string, senderId: string): Promise<AppendRows> {
    const row = await rowOf<LockedRow>(
      sql,
      `SELECT c.kind, c.last_seq, c.last_at, m.user_id IS NOT NULL AS is_member, m.left_at_seq
       FROM conversations c LEFT JOIN members m ON m.conversation_id = c.id AND m.user_id = $2
       WHERE c.id = $1 FOR NO KEY UPDATE OF c`,
      [conversationId, senderId],
    );
    const head = row === undefined ? undefined : { kind: toConversationKind(row.kind), lastSeq: row.last_seq, lastAt: row.last_at ?? undefined };
    const sender = row?.is_member === true ? { leftAtSeq: row.left_at_seq } : undefined;
    return new AppendRows(sql, cipher, { conversationId, senderId, head, sender });
  }

  async membership(conversationId: string, userId: string): Promise<MembershipState | undefined> {
    if (conversationId === this.locked.conversationId && userId === this.locked.senderId) return this.locked.sender;
    const row = await rowOf<{ left_at_seq: number | null }>(
      this.sql,
      'SELECT left_at_seq FROM members WHERE conversation_id = $1 AND user_id = $2',
      [conversationId, userId],
    );
    return row === undefined ? undefined : { leftAtSeq: row.left_at_seq };
  }

  async head(conversationId: string): Promise<ConversationHead | undefined> {
    assert(conversationId === this.locked.conversationId, 'an append reads the head of the conversation it locked');
    return this.locked.head;
  }

  async memberIds(conversationId: string): Promise<string[]> {
    const rows = await rowsOf<{ user_id: string }>(this.sql, 'SELECT user_id FROM members WHERE conversation_id = $1', [conversationId]);
    return rows.map((row) => row.user_id);
  }

  async blockersOf(userId: string): Promise<string[]> {
    const rows = await rowsOf<{ user_id: string }>(this.sql, 'SELECT user_id FROM blocks WHERE blocked_id = $1', [userId]);
    return rows.map((row) => row.user_id);
  }

  async findMessage(senderId: string, id: string): Promise<Message | undefined> {
    const row = await rowOf<MessageRow>(this.sql, `SELECT ${messageColumns} FROM messages WHERE sender_id = $1 AND id = $2`, [senderId, id]);
    return row === undefined ? undefined : toMessage(row, this.cipher);
  }

  /** Inserts the message and moves the conversation's head to it; the head must be the seq before (the lock holds it). */
  async insertMessage(message: Message, withheld: boolean): Promise<void> {
    const { body, key_id } = this.cipher.sealBody(message.bodyJson, message.conversationId, message.seq);
    const result = await query(
      this.sql,
      `WITH inserted AS (
         INSERT INTO messages (conversation_id, seq, id, sender_id, device_id, at, body, key_id, withheld)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       )
       UPDATE conversations SET last_seq = $2, last_at = $6 WHERE id = $1 AND last_seq = $2::bigint - 1`,
      [message.conversationId, message.seq, message.id, message.senderId, message.deviceId, message.at, body, key_id, withheld],
    );
    assert(result.rowCount === 1, `seq ${message.seq} of ${message.conversationId} follows the head it was given`);
  }

  async appendMessageEventToMembers(conversationId: string, seq: number): Promise<Delivery[]> {
    const positions = await this.streams.appendToMembers(conversationId, 'message', seq, null);
    return positions.map(([userId, pos]) => ({ userId, pos }));
  }

  async appendMessageEventTo(userId: string, conversationId: string, seq: number): Promise<Delivery> {
    return { userId, pos: await this.streams.appendTo(userId, conversationId, 'message', seq, null) };
  }

  pushCandidates(conversationId: string, userIds: readonly string[]): Promise<PushCandidate[]> {
    return this.pushJobs.pushCandidates(conversationId, userIds);
  }

  savePushJobs(conversationId: string, jobs: readonly PushJobRow[]): Promise<void> {
    return this.pushJobs.savePushJobs(conversationId, jobs);
  }
}
