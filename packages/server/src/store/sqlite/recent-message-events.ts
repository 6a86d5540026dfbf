import { LRUCache } from 'lru-cache';
import type { SenderSeq } from '../../chat/receipt-rules.js';

interface MessageEvent {
  pos: number;
  conversationId: string;
  seq: number;
  senderId: string;
}

interface SenderKey {
  conversationId: string;
  senderId: string;
}

/**
 * One user's newest message events, as numbers in a typed array, with the
 * sender as an index into `senders`. At a thousand messages a second each
 * event is kept for minutes: an object per event, or a growing JS array,
 * would be copied by every scavenge until it is promoted; a typed array's
 * memory is outside the heap and is not copied.
 */
interface RecentEvents {
  /** Every message event of the user's stream with a pos above this is kept. */
  completeAfter: number;
  /** `[pos, seq, sender index]` per event, in pos order, for the first `count` events. */
  fields: Float64Array;
  count: number;
  /** The senders of the kept events; a user talks with few of them at a time. */
  senders: SenderKey[];
}

const fieldsPerEvent = 3;

/** Message events kept per user at least (at most twice as many): an ack covers what arrived in the last few tens of milliseconds, in a busy group a few hundred. */
const eventsPerUser = 256;

/** Room for events that a user's list starts with, doubled as it fills: most users get a few events between two acks. */
const eventsAtFirst = 8;

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
      recent = { completeAfter: event.pos - 1, fields: new Float64Array(eventsAtFirst * fieldsPerEvent), count: 0, senders: [] };
      this.users.set(userId, recent);
    }
    if (recent.count * fieldsPerEvent === recent.fields.length) makeRoom(recent);
    const at = recent.count * fieldsPerEvent;
    recent.fields[at] = event.pos;
    recent.fields[at + 1] = event.seq;
    recent.fields[at + 2] = senderIndexOf(recent.senders, event);
    recent.count += 1;
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
    const { fields, senders } = recent;
    const end = recent.count * fieldsPerEvent;
    const newest: SenderSeq[] = [];
    const newestSender: number[] = [];
    // Events are in pos order: the range is a run at the end of the list.
    let first = end;
    while (first > 0 && (fields[first - fieldsPerEvent] as number) > fromPos) first -= fieldsPerEvent;
    for (let index = first; index < end; index += fieldsPerEvent) {
      if ((fields[index] as number) > toPos) break;
      const seq = fields[index + 1] as number;
      const sender = fields[index + 2] as number;
      const known = newestSender.indexOf(sender);
      if (known === -1) {
        const { conversationId, senderId } = senders[sender] as SenderKey;
        newestSender.push(sender);
        newest.push({ conversationId, senderId, seq });
      } else {
        const senderSeq = newest[known] as SenderSeq;
        senderSeq.seq = Math.max(senderSeq.seq, seq);
      }
    }
    return newest;
  }

  clear(): void {
    this.users.clear();
  }
}

function senderIndexOf(senders: SenderKey[], event: MessageEvent): number {
  for (let index = senders.length - 1; index >= 0; index -= 1) {
    const sender = senders[index] as SenderKey;
    if (sender.senderId === event.senderId && sender.conversationId === event.conversationId) return index;
  }
  senders.push({ conversationId: event.conversationId, senderId: event.senderId });
  return senders.length - 1;
}

/**
 * Doubles the room for events up to twice `eventsPerUser`; past that drops the
 * older half, and the senders only it had: recording costs no shift per event.
 */
function makeRoom(recent: RecentEvents): void {
  if (recent.count < 2 * eventsPerUser) {
    const fields = new Float64Array(Math.min(2 * recent.count, 2 * eventsPerUser) * fieldsPerEvent);
    fields.set(recent.fields);
    recent.fields = fields;
    return;
  }
  const { fields } = recent;
  const dropped = (recent.count - eventsPerUser) * fieldsPerEvent;
  recent.completeAfter = fields[dropped - fieldsPerEvent] as number;
  const senders: SenderKey[] = [];
  const renumbered = new Map<number, number>();
  for (let index = dropped; index < recent.count * fieldsPerEvent; index += fieldsPerEvent) {
    const old = fields[index + 2] as number;
    let next = renumbered.get(old);
    if (next === undefined) {
      next = senders.push(recent.senders[old] as SenderKey) - 1;
      renumbered.set(old, next);
    }
    fields[index + 2] = next;
  }
  fields.copyWithin(0, dropped);
  recent.count = eventsPerUser;
  recent.senders = senders;
}
