import type { RowCipher } from '../../keys/row-cipher.js';
import type Database from 'better-sqlite3';
import type { Appended, ConversationData, Delivery, Message, ReceiptData, StreamEntry } from '../../chat/model.js';
import { assert } from '../../lib/assert.js';
import { lastPosOf } from './heads.js';
import { RecentMessages } from './recent-messages.js';
import type { EventLog } from './event-log.js';
import type { StreamHeads } from './stream-heads.js';
import { toMessage } from '../rows.js';
import { messageColumns } from './columns.js';
import type { MessageRow } from '../rows.js';
import { conversationEntry, encodeEventData, receiptEntry, toStreamEntry } from '../stream-entry.js';
import type { EventRow } from '../stream-entry.js';

/** About 3 MB of messages of a typical size: enough for every device of a 1,024-member group to replay the last few hundred. */
const recentMessagesMax = 10_000;

/**
 * The per-user event streams. An event's pos is the stream's head plus one,
 * taken from `StreamHeads` by the write that inserts the event: the primary
 * key refuses a pos taken twice.
 */
export class StreamQueries {
  private readonly selectPos;
  private readonly selectEntries;
  private readonly selectMessage;
  private readonly recent = new RecentMessages(recentMessagesMax);

  constructor(
    db: Database.Database,
    private readonly bodies: RowCipher,
    private readonly heads: StreamHeads,
    private readonly log: EventLog,
  ) {
    this.selectPos = db.prepare<[{ userId: string }], { last_pos: number | null }>(`SELECT ${lastPosOf('@userId')} AS last_pos`);
    // Messages are read one by one, after the events: nearly all are in `recent` already.
    this.selectEntries = db.prepare<[{ userId: string; afterPos: number; limit: number }], EventRow>(
      `SELECT pos, kind, conversation_id, seq, data_json FROM events
       WHERE user_id = @userId AND pos > @afterPos
       ORDER BY pos LIMIT @limit`,
    );
    this.selectMessage = db.prepare<[string, number], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE conversation_id = ? AND seq = ?`,
    );
  }

  appendReceipt(userId: string, conversationId: string, receipt: ReceiptData): Appended {
    const pos = this.appendEvent(userId, conversationId, 'receipt', receipt);
    return { userId, entry: receiptEntry(pos, conversationId, receipt) };
  }

  /** Appends a conversation event to one user's stream (one who is not, or not yet, a member). */
  appendConversationEvent(userId: string, conversationId: string, data: ConversationData): Appended {
    const pos = this.appendEvent(userId, conversationId, 'conversation', data);
    return { userId, entry: conversationEntry(pos, conversationId, data) };
  }

  /**
   * Appends a conversation event to the streams of `memberIds` in one
   * statement whatever the group's size: a 1,024-member group must not cost
   * 1,024 round trips through the statement machinery.
   */
  appendConversationEventToMembers(memberIds: readonly string[], conversationId: string, data: ConversationData): Appended[] {
    const positions = this.nextPositions(memberIds);
    this.log.appendToMany(positions, 'conversation', conversationId, null, encodeEventData(data));
    return positions.map(([userId, pos]) => ({ userId, entry: conversationEntry(pos, conversationId, data) }));
  }

  /** Appends the event of message `seq` to the streams of `memberIds`, the conversation's current members. */
  appendMessageEventToMembers(memberIds: readonly string[], conversationId: string, seq: number): Delivery[] {
    const positions = this.nextPositions(memberIds);
    this.log.appendToMany(positions, 'message', conversationId, seq, null);
    return positions.map(([userId, pos]) => ({ userId, pos }));
  }

  /** Appends the event of message `seq` to one user's stream only (a message withheld from the others). */
  appendMessageEventTo(userId: string, conversationId: string, seq: number): Delivery {
    const pos = this.heads.next(userId);
    this.log.append(userId, pos, 'message', conversationId, seq, null);
    return { userId, pos };
  }

  /** After a rollback: a message read inside the lost writes may not exist (see RecentMessages). */
  forgetRecentMessages(): void {
    this.recent.clear();
  }

  currentPos(userId: string): number {
    return this.selectPos.get({ userId })?.last_pos ?? 0;
  }

  read(userId: string, afterPos: number, limit: number): StreamEntry[] {
    return this.selectEntries.all({ userId, afterPos, limit }).map((row) => toStreamEntry(row, this.messageAt));
  }

  private readonly messageAt = (conversationId: string, seq: number): Message => {
    const recent = this.recent.get(conversationId, seq);
    if (recent !== undefined) return recent;
    const row = this.selectMessage.get(conversationId, seq);
    assert(row !== undefined, `message ${conversationId}#${seq} of an event exists`);
    const message = toMessage(row, this.bodies);
    this.recent.remember(message);
    return message;
  };

  private appendEvent(
    userId: string,
    conversationId: string,
    kind: 'receipt' | 'conversation',
    data: ReceiptData | ConversationData,
  ): number {
    const pos = this.heads.next(userId);
    this.log.append(userId, pos, kind, conversationId, null, encodeEventData(data));
    return pos;
  }

  /** Takes the next pos of each user's stream, as [user, pos] pairs. */
  private nextPositions(userIds: readonly string[]): Array<[string, number]> {
    return userIds.map((userId) => [userId, this.heads.next(userId)]);
  }
}
