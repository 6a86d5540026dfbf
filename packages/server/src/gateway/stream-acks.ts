import type { WireEntry } from '../bus/bus.js';
import type { AckWriter } from './ack-writer.js';

/**
 * The acks of one connection: which of them make a `delivered` receipt (they
 * pass a message from someone else not acked before), so the AckWriter writes
 * them soon and the others late.
 */
export class StreamAcks {
  /**
   * Bounds of the messages from others sent and not acked yet. Two numbers,
   * not a list, so a client that never acks costs nothing: past an ack, the
   * rest is assumed to start right above it, which at worst writes an ack early.
   */
  private lowestUnackedFromOthers = Number.POSITIVE_INFINITY;
  private highestSentFromOthers = 0;

  constructor(
    private readonly writer: AckWriter,
    private readonly userId: string,
  ) {}

  /** An entry was written to the socket. */
  sent(entry: WireEntry): void {
    if (entry.sender === undefined || entry.sender === this.userId) return;
    this.highestSentFromOthers = entry.pos;
    this.lowestUnackedFromOthers = Math.min(this.lowestUnackedFromOthers, entry.pos);
  }

  /** The client acked `pos`, which was sent on this connection. */
  acked(pos: number): void {
    const makesReceipt = this.lowestUnackedFromOthers <= pos;
    if (makesReceipt) this.lowestUnackedFromOthers = this.highestSentFromOthers > pos ? pos + 1 : Number.POSITIVE_INFINITY;
    this.writer.request(pos, makesReceipt);
  }

  /** Writes what is pending at once (the connection closed); resolves once written. */
  flush(): Promise<void> {
    return this.writer.flush();
  }
}
