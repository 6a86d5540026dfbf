import type Database from 'better-sqlite3';
import type { ConversationHead } from '../../chat/append-message-rule.js';
import type { Message } from '../../chat/model.js';
import { lastSeqOf } from './heads.js';
import { historyPage } from '../../chat/history-page.js';
import type { HistoryRange } from '../../chat/store-port.js';
import { messageColumns, toConversationKind, toMessage } from './rows.js';
import type { MessageRow } from './rows.js';
import type { RowCipher } from '../../keys/row-cipher.js';

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
  private readonly selectBySenderAndId;
  private readonly selectHead;
  private readonly insertMessage;
  private readonly selectAscending;
  private readonly selectDescending;

  constructor(
    db: Database.Database,
    private readonly bodies: RowCipher,
  ) {
    this.selectBySenderAndId = db.prepare<[string, string], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND id = ?`,
    );
    this.selectHead = db.prepare<[{ conversationId: string }], { kind: string; last_seq: number; last_at: number | null }>(
      `SELECT c.kind, ${lastSeqOf('@conversationId')} AS last_seq,
         (SELECT head_a.at FROM messages head_a WHERE head_a.conversation_id = @conversationId ORDER BY head_a.seq DESC LIMIT 1) AS last_at
       FROM conversations c WHERE c.id = @conversationId`,
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

  head(conversationId: string): ConversationHead | undefined {
    const row = this.selectHead.get({ conversationId });
    return row === undefined ? undefined : { kind: toConversationKind(row.kind), lastSeq: row.last_seq, lastAt: row.last_at ?? undefined };
  }

  /** The message stored under `(senderId, id)`, in any conversation. */
  find(senderId: string, id: string): Message | undefined {
    const row = this.selectBySenderAndId.get(senderId, id);
    return row === undefined ? undefined : toMessage(row, this.bodies);
  }

  /** Inserts the message with the seq it was given; the primary key refuses a seq taken twice. */
  insert(message: Message, withheld: boolean): void {
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
  }

  /** See `MessageStore.readHistory`: the page `historyPage` chose, withheld messages for their sender only. */
  readHistory(conversationId: string, range: HistoryRange, visible: { from: number; to: number }, viewerId: string): Message[] {
    const page = historyPage(range, visible);
    if (page === undefined) return [];
    const bounds: SeqBounds = { conversationId, viewerId, low: page.low, high: page.high, limit: page.limit };
    const toDomain = (row: MessageRow) => toMessage(row, this.bodies);
    if (page.from === 'low') return this.selectAscending.all(bounds).map(toDomain);
    return this.selectDescending.all(bounds).map(toDomain).reverse();
  }
}
