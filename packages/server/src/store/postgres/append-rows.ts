import type { AppendTransaction, ConversationHead } from '../../chat/append-message-rule.js';
import type { MembershipState } from '../../chat/membership-rule.js';
import type { Delivery, Message, MessageDraft } from '../../chat/model.js';
import type { PushCandidate, PushJobRow } from '../../chat/push-queue-rule.js';
import { assert } from '../../lib/assert.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import { toConversationKind, toMessage, type MessageRow } from '../rows.js';
import { PushJobRows } from './push-job-rows.js';
import type { AsyncRows } from './replay-rule.js';
import { rowOf, rowsOf, type Queryable } from './sql.js';

/** What an append reads once it holds the conversation's lock: the sender's membership, a stored retry, who blocked the sender. */
type SenderRow = { is_member: boolean; left_at_seq: number | null; blockers: string[] } & { [K in keyof MessageRow as `stored_${K}`]: MessageRow[K] | null };

/** The sealed message an append inserts with its stream events, in one statement. */
interface PendingMessage {
  message: Message;
  withheld: boolean;
  body: Buffer;
  keyId: number;
}

/**
 * The rows `appendMessage` reads and writes, inside the append's transaction,
 * in as few round trips as the rule allows. `lock` takes the conversation's
 * row lock first: every write to a conversation (appends, reads, membership
 * changes) takes it, so the membership and head the rule reads cannot change
 * before the commit, and the seq it assigns is the next one. What the rule
 * reads next (membership, a stored retry, blockers) is read in one statement
 * after the lock, so it is read as of the lock, never from before a wait on it.
 * The message row is inserted with its stream events, in the statement that
 * appends them.
 */
export class AppendRows implements AsyncRows<AppendTransaction> {
  private readonly pushJobs: PushJobRows;
  private pending: PendingMessage | undefined;

  private constructor(
    private readonly sql: Queryable,
    private readonly cipher: RowCipher,
    private readonly draft: MessageDraft,
    private readonly locked: { head: ConversationHead; sender: SenderRow } | undefined,
  ) {
    this.pushJobs = new PushJobRows(sql);
  }

  static async lock(sql: Queryable, cipher: RowCipher, draft: MessageDraft): Promise<AppendRows> {
    const head = await rowOf<{ kind: string; last_seq: number; last_at: number | null }>(
      sql,
      'SELECT kind, last_seq, last_at FROM conversations WHERE id = $1 FOR NO KEY UPDATE',
      [draft.conversationId],
    );
    if (head === undefined) return new AppendRows(sql, cipher, draft, undefined);
    const sender = await rowOf<SenderRow>(
      sql,
      `SELECT m.user_id IS NOT NULL AS is_member, m.left_at_seq,
              ARRAY(SELECT b.user_id FROM blocks b WHERE b.blocked_id = $2) AS blockers,
              x.conversation_id AS stored_conversation_id, x.seq AS stored_seq, x.id AS stored_id, x.sender_id AS stored_sender_id,
              x.device_id AS stored_device_id, x.at AS stored_at, x.body AS stored_body, x.key_id AS stored_key_id
       FROM (SELECT 1) one
       LEFT JOIN members m ON m.conversation_id = $1 AND m.user_id = $2
       LEFT JOIN messages x ON x.sender_id = $2 AND x.id = $3`,
      [draft.conversationId, draft.senderId, draft.id],
    );
    assert(sender !== undefined, 'a one-row select answers one row');
    const locked = { head: { kind: toConversationKind(head.kind), lastSeq: head.last_seq, lastAt: head.last_at ?? undefined }, sender };
    return new AppendRows(sql, cipher, draft, locked);
  }

  /** After the rule: the message it inserted went in with its events, as the rule always appends them; one left pending is a bug. */
  assertDone(): void {
    assert(this.pending === undefined, 'an inserted message got its stream events');
  }

  async membership(conversationId: string, userId: string): Promise<MembershipState | undefined> {
    if (this.isDraft(conversationId, userId)) return this.locked?.sender.is_member === true ? { leftAtSeq: this.locked.sender.left_at_seq } : undefined;
    const row = await rowOf<{ left_at_seq: number | null }>(this.sql, 'SELECT left_at_seq FROM members WHERE conversation_id = $1 AND user_id = $2', [
      conversationId,
      userId,
    ]);
    return row === undefined ? undefined : { leftAtSeq: row.left_at_seq };
  }

  async head(conversationId: string): Promise<ConversationHead | undefined> {
    assert(conversationId === this.draft.conversationId, 'an append reads the head of the conversation it locked');
    return this.locked?.head;
  }

  async memberIds(conversationId: string): Promise<string[]> {
    return (await rowsOf<{ user_id: string }>(this.sql, 'SELECT user_id FROM members WHERE conversation_id = $1', [conversationId])).map((row) => row.user_id);
  }

  async blockersOf(userId: string): Promise<string[]> {
    if (userId === this.draft.senderId && this.locked !== undefined) return this.locked.sender.blockers;
    return (await rowsOf<{ user_id: string }>(this.sql, 'SELECT user_id FROM blocks WHERE blocked_id = $1', [userId])).map((row) => row.user_id);
  }

  async findMessage(senderId: string, id: string): Promise<Message | undefined> {
    assert(senderId === this.draft.senderId && id === this.draft.id, 'an append looks for its own draft');
    const stored = this.locked?.sender;
    if (stored === undefined || stored.stored_conversation_id === null || stored.stored_seq === null) return undefined;
    if (stored.stored_device_id === null || stored.stored_at === null || stored.stored_body === null || stored.stored_key_id === null) return undefined;
    const row: MessageRow = {
      conversation_id: stored.stored_conversation_id,
      seq: stored.stored_seq,
      id,
      sender_id: senderId,
      device_id: stored.stored_device_id,
      at: stored.stored_at,
      body: stored.stored_body,
      key_id: stored.stored_key_id,
    };
    return toMessage(row, this.cipher);
  }

  /** Sealed now, inserted with the stream events that follow. */
  async insertMessage(message: Message, withheld: boolean): Promise<void> {
    const { body, key_id } = this.cipher.sealBody(message.bodyJson, message.conversationId, message.seq);
    this.pending = { message, withheld, body, keyId: key_id };
  }

  async appendMessageEventToMembers(conversationId: string, seq: number): Promise<Delivery[]> {
    const recipients = `SELECT u.id FROM members m JOIN users u ON u.id = m.user_id
                        WHERE m.conversation_id = $1 AND m.left_at_seq IS NULL ORDER BY u.id FOR NO KEY UPDATE OF u`;
    return this.insertWithEvents(conversationId, seq, recipients, []);
  }

  async appendMessageEventTo(userId: string, conversationId: string, seq: number): Promise<Delivery> {
    const [delivery] = await this.insertWithEvents(conversationId, seq, 'SELECT id FROM users WHERE id = $10 FOR NO KEY UPDATE', [userId]);
    assert(delivery !== undefined, `user ${userId} of a message event exists`);
    return delivery;
  }

  pushCandidates(conversationId: string, userIds: readonly string[]): Promise<PushCandidate[]> {
    return this.pushJobs.pushCandidates(conversationId, userIds);
  }

  savePushJobs(conversationId: string, jobs: readonly PushJobRow[]): Promise<void> {
    return this.pushJobs.savePushJobs(conversationId, jobs);
  }

  /**
   * One statement: the message row, the conversation's head moved to it (it
   * must be the seq before: the lock holds it), and the message event in the
   * stream of each recipient (`recipients` selects and locks them, by id),
   * each stream's head bumped.
   */
  private async insertWithEvents(conversationId: string, seq: number, recipients: string, extra: unknown[]): Promise<Delivery[]> {
    const pending = this.pending;
    assert(pending !== undefined && pending.message.conversationId === conversationId && pending.message.seq === seq, 'events follow their message');
    this.pending = undefined;
    const { message } = pending;
    const rows = await rowsOf<{ user_id: string; pos: number; head_moved: boolean }>(
      this.sql,
      `WITH inserted AS (
         INSERT INTO messages (conversation_id, seq, id, sender_id, device_id, at, body, key_id, withheld)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ), head AS (
         UPDATE conversations SET last_seq = $2, last_at = $6 WHERE id = $1 AND last_seq = $2::bigint - 1 RETURNING id
       ), recipients AS (${recipients}
       ), bumped AS (
         UPDATE users u SET last_pos = u.last_pos + 1 FROM recipients WHERE u.id = recipients.id RETURNING u.id, u.last_pos
       ), events AS (
         INSERT INTO events (user_id, pos, kind, conversation_id, seq) SELECT id, last_pos, 'message', $1, $2 FROM bumped
       )
       SELECT id AS user_id, last_pos AS pos, EXISTS (SELECT 1 FROM head) AS head_moved FROM bumped ORDER BY id`,
      [conversationId, seq, message.id, message.senderId, message.deviceId, message.at, pending.body, pending.keyId, pending.withheld, ...extra],
    );
    assert(rows.every((row) => row.head_moved), `seq ${seq} of ${conversationId} follows the head it was given`);
    return rows.map((row) => ({ userId: row.user_id, pos: row.pos }));
  }

  private isDraft(conversationId: string, userId: string): boolean {
    return conversationId === this.draft.conversationId && userId === this.draft.senderId;
  }
}
