import type Database from 'better-sqlite3';
import { unmoved } from './log-moves.js';

interface Raised {
  conversationId: string;
  userId: string;
  seq: number;
}

/**
 * The delivered seqs that acks raised in direct chats, kept here and written
 * to `members` with the next move of the logs. Rewriting the member row at
 * every ack that makes a receipt was more than half the pages of a commit.
 *
 * Such an ack also appends a `delivered` receipt naming the member and the
 * seq to the sender's stream, in the same write. Every move of the event log
 * writes back everything raised here first, in the same transaction, so a
 * seq not yet in `members` is always in a receipt still in the log. A store
 * opened after a crash, or after a rolled-back batch, reads the raises back
 * from those receipts: an ack that comes again makes no second receipt.
 *
 * Groups are left out: a group reads its lowest members from an index on
 * `members` (group-receipt-rule.ts), and its receipts name nobody.
 */
export class DirectDeliveredSeqs {
  private readonly raised = new Map<string, Raised>();
  private readonly updateDelivered;
  private readonly selectLogged;

  constructor(db: Database.Database) {
    this.updateDelivered = db.prepare<[number, string, string]>(
      'UPDATE members SET delivered_seq = max(delivered_seq, ?) WHERE conversation_id = ? AND user_id = ?',
    );
    this.selectLogged = db.prepare<[], { conversation_id: string; user_id: string; seq: number }>(
      `SELECT conversation_id, data_json ->> '$.user' AS user_id, max(data_json ->> '$.seq') AS seq FROM event_log
       WHERE kind = 'receipt' AND data_json ->> '$.status' = 'delivered' AND data_json ->> '$.user' IS NOT NULL
         AND ${unmoved('event_log')}
       GROUP BY conversation_id, user_id`,
    );
    this.readBack();
  }

  raise(conversationId: string, userId: string, seq: number): void {
    const key = keyOf(conversationId, userId);
    const known = this.raised.get(key);
    if (known === undefined) this.raised.set(key, { conversationId, userId, seq });
    else known.seq = Math.max(known.seq, seq);
  }

  /** `stored`, the member's delivered seq as `members` has it, raised to what is kept here. */
  overlay(conversationId: string, userId: string, stored: number): number {
    return Math.max(stored, this.raised.get(keyOf(conversationId, userId))?.seq ?? 0);
  }

  hasRaised(): boolean {
    return this.raised.size > 0;
  }

  /** Inside the write transaction of a move of the event log, before it. */
  writeBack(): void {
    for (const { conversationId, userId, seq } of this.raised.values()) this.updateDelivered.run(seq, conversationId, userId);
    this.raised.clear();
  }

  /** What the log's receipts say was raised and not written back: at start, and after a rolled-back batch. */
  readBack(): void {
    this.raised.clear();
    for (const { conversation_id, user_id, seq } of this.selectLogged.iterate()) this.raise(conversation_id, user_id, seq);
  }
}

function keyOf(conversationId: string, userId: string): string {
  return `${conversationId} ${userId}`;
}
