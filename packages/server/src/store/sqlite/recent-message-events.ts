import { LRUCache } from 'lru-cache';
import type { SenderSeq } from '../../chat/receipt-rules.js';

interface MessageEvent {
  pos: number;
  conversationId: string;
  seq: number;
  senderId: string;
}

interface RecentEvents {
  /** Every message event of the user's stream with a pos above this is in `events`. */
  completeAfter: number;
  events: MessageEvent[];
}

/** Message events kept per user at least (at most twice as many): an ack covers what arrived in the last few tens of milliseconds, in a busy group a few hundred. */
const eventsPerUser = 256;

/**
 * The newest message events of each user's stream, as they were appended, so
 * that an ack finds what it covers (which senders get a `delivered` receipt)
 * without reading the stream and joining messages. A range that reaches below
 * what is kept is answered by the table instead (`undefined`).
 *
 * Recorded inside the write that appends the events: after a failed batch the
 * store calls `clear`, because those events were rolled back.
 */
export class RecentMessageEvents {
  private readonly users: LRUCache<string, RecentEvents>;

  constructor(maxUsers: number) {
    this.users = new LRUCache({ max: maxUsers });
  }

  /** A message event appended at `pos`; events of one user are recorded in pos order. */
  record(userId: string, event: MessageEvent): void {
    let recent = this.users.get(userId);
    if (recent === undefined) {
      recent = { completeAfter: event.pos - 1, events: [] };
      this.users.set(userId, recent);
    }
    recent.events.push(event);
    // Trimmed in halves, so that recording costs no shift of the whole list per event.
    if (recent.events.length >= 2 * eventsPerUser) {
      const dropped = recent.events.splice(0, eventsPerUser);
      recent.completeAfter = dropped[dropped.length - 1]?.pos ?? recent.completeAfter;
    }
  }

  /**
   * Per (conversation, sender), the newest seq among the message events at
   * pos in `(fromPos, toPos]`; undefined when not all of them are kept.
   * Every ack asks, and an ack covers a few senders: they are found by a walk
   * of the answer, not through a keyed index.
   */
  newestBySender(userId: string, fromPos: number, toPos: number): SenderSeq[] | undefined {
    const recent = this.users.get(userId);
    if (recent === undefined || fromPos < recent.completeAfter) return undefined;
    const newest: SenderSeq[] = [];
    const { events } = recent;
    // Events are in pos order: the range is a run at the end of the list.
    let first = events.length;
    while (first > 0 && (events[first - 1] as MessageEvent).pos > fromPos) first -= 1;
    for (let index = first; index < events.length; index += 1) {
      const event = events[index] as MessageEvent;
      if (event.pos > toPos) break;
      const known = senderSeqOf(newest, event);
      if (known === undefined) newest.push({ conversationId: event.conversationId, senderId: event.senderId, seq: event.seq });
      else known.seq = Math.max(known.seq, event.seq);
    }
    return newest;
  }

  clear(): void {
    this.users.clear();
  }
}

function senderSeqOf(newest: readonly SenderSeq[], event: MessageEvent): SenderSeq | undefined {
  for (const sender of newest) if (sender.senderId === event.senderId && sender.conversationId === event.conversationId) return sender;
  return undefined;
}
