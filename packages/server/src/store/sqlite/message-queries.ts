import type Database from 'better-sqlite3';
import type { ConversationHead } from '../../chat/append-message-rule.js';
import type { Message } from '../../chat/model.js';
import { historyPage } from '../../chat/history-page.js';
import type { HistoryRange } from '../../chat/store-port.js';
import type { MessageLog } from './message-log.js';
import { toMessage } from '../rows.js';
import { messageColumns } from './columns.js';
import type { MessageRow } from '../rows.js';
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
  private readonly selectAscending;
  private readonly selectDescending;

  constructor(
    db: Database.Database,
    private readonly bodies: RowCipher,
    private readonly log: MessageLog,
  ) {
    this.selectBySenderAndId = db.prepare<[string, string], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND id = ?`,
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

  /** Inside a write transaction: the log's messages count. */
  head(conversationId: string): ConversationHead | undefined {
    return this.log.head(conversationId);
  }

  /** The message stored under `(senderId, id)`, in any conversation; inside a write transaction. */
  find(senderId: string, id: string): Message | undefined {
    const logged = this.log.find(senderId, id);
    if (logged !== undefined) return logged;
    const row = this.selectBySenderAndId.get(senderId, id);
    return row === undefined ? undefined : toMessage(row, this.bodies);
  }

  /** Inserts the message with the seq it was given; `messages`' primary key refuses a seq taken twice when the log moves. */
  insert(message: Message, withheld: boolean): void {
    this.log.insert(message, withheld);
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
