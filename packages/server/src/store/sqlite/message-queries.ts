import type Database from 'better-sqlite3';
import type { AppendResult, Message, MessageDraft } from '../../chat/model.js';
import { messageTime } from '../../chat/message-time.js';
import { ParleyError } from '../../chat/parley-error.js';
import { assert } from '../../lib/assert.js';
import type { HistoryRange } from '../store.js';
import { lastSeqOf } from './heads.js';
import { messageColumns, toMessage } from './rows.js';
import type { MessageRow } from './rows.js';
import type { BlockQueries } from './block-queries.js';
import type { RowCipher } from './row-cipher.js';
import type { StreamQueries } from './stream-queries.js';

interface SeqBounds {
  conversationId: string;
  /** Messages withheld (see blocking) are shown to their sender only. */
  viewerId: string;
  /** Lowest seq to return, inclusive. */
  low: number;
  /** Highest seq to return, inclusive. */
  high: number;
  limit: number;
}

export class MessageQueries {
  private readonly selectMembership;
  private readonly selectBySenderAndId;
  private readonly selectLastSeq;
  private readonly insertMessage;
  private readonly selectAscending;
  private readonly selectDescending;

  constructor(
    db: Database.Database,
    private readonly streams: StreamQueries,
    private readonly bodies: RowCipher,
    private readonly blocks: BlockQueries,
  ) {
    this.selectMembership = db.prepare<[string, string], { left_at_seq: number | null }>(
      'SELECT left_at_seq FROM members WHERE conversation_id = ? AND user_id = ?',
    );
    this.selectBySenderAndId = db.prepare<[string, string], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND id = ?`,
    );
    this.selectLastSeq = db.prepare<[{ conversationId: string }], { last_seq: number; last_at: number | null }>(
      `SELECT ${lastSeqOf('@conversationId')} AS last_seq,
         (SELECT head_a.at FROM messages head_a WHERE head_a.conversation_id = @conversationId ORDER BY head_a.seq DESC LIMIT 1) AS last_at`,
    );
    this.insertMessage = db.prepare<[MessageRow & { withheld: number }]>(
      `INSERT INTO messages (conversation_id, seq, id, sender_id, device_id, at, body, key_id, withheld)
       VALUES (@conversation_id, @seq, @id, @sender_id, @device_id, @at, @body, @key_id, @withheld)`,
    );
    this.selectAscending = db.prepare<[SeqBounds], MessageRow>(
      `SELECT ${messageColumns} FROM messages
       WHERE conversation_id = @conversationId AND seq BETWEEN @low AND @high
         AND (withheld = 0 OR sender_id = @viewerId)
       ORDER BY seq LIMIT @limit`,
    );
    this.selectDescending = db.prepare<[SeqBounds], MessageRow>(
      `SELECT ${messageColumns} FROM messages
       WHERE conversation_id = @conversationId AND seq BETWEEN @low AND @high
         AND (withheld = 0 OR sender_id = @viewerId)
       ORDER BY seq DESC LIMIT @limit`,
    );
  }

  /**
   * Must run inside a transaction: the seq is the conversation's head plus
   * one, read right before the insert that takes it, with the write lock held;
   * the primary key would refuse a second message with that seq.
   */
  append(draft: MessageDraft): AppendResult {
    const membership = this.selectMembership.get(draft.conversationId, draft.senderId);
    if (membership === undefined) throw new ParleyError('not_found', 'no such conversation');
    if (membership.left_at_seq !== null) throw new ParleyError('not_member', 'you are no longer a member of this conversation');

    const stored = this.selectBySenderAndId.get(draft.senderId, draft.id);
    if (stored !== undefined) {
      const message = toMessage(stored, this.bodies);
      // The retry of a message whose row can no longer be read is still the same message.
      if (message.unreadable === true) return { message, deliveries: [], duplicate: true };
      if (message.conversationId !== draft.conversationId || message.bodyJson !== draft.bodyJson) {
        throw new ParleyError('conflict', `message ${draft.id} was already sent with other content`);
      }
      return { message, deliveries: [], duplicate: true };
    }

    const head = this.selectLastSeq.get({ conversationId: draft.conversationId });
    assert(head !== undefined, 'a scalar SELECT returns a row');
    const message: Message = { ...draft, seq: head.last_seq + 1, at: messageTime(draft.at, head.last_at ?? undefined) };
    // Blocked by the other member of a direct conversation: accepted, but only the sender's devices see it.
    const withheld = this.blocks.isWithheld(draft.conversationId, draft.senderId);
    this.insertMessage.run({
      conversation_id: message.conversationId,
      seq: message.seq,
      id: message.id,
      sender_id: message.senderId,
      device_id: message.deviceId,
      at: message.at,
      ...this.bodies.sealBody(message.bodyJson, message.conversationId, message.seq),
      withheld: withheld ? 1 : 0,
    });
    const deliveries = withheld
      ? [this.streams.appendMessageEventFor(draft.senderId, draft.conversationId, message.seq)]
      : this.streams.appendMessageEvents(draft.conversationId, message.seq);
    assert(
      deliveries.some((delivery) => delivery.userId === draft.senderId),
      'the sender, a current member, gets the message event',
    );
    return { message, deliveries, duplicate: false };
  }

  /** See `MessageStore.readHistory`; `before` and `after` together bound both ends. */
  readHistory(conversationId: string, range: HistoryRange, visible: { from: number; to: number }, viewerId: string): Message[] {
    const low = Math.max(visible.from, range.after === undefined ? 1 : range.after + 1);
    const high = Math.min(visible.to, range.before === undefined ? Number.MAX_SAFE_INTEGER : range.before - 1);
    if (low > high || range.limit <= 0) return [];
    const bounds: SeqBounds = { conversationId, viewerId, low, high, limit: range.limit };
    const toDomain = (row: MessageRow) => toMessage(row, this.bodies);
    if (range.after !== undefined) return this.selectAscending.all(bounds).map(toDomain);
    return this.selectDescending.all(bounds).map(toDomain).reverse();
  }
}
