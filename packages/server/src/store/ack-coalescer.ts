import type { ReceiptsMade } from '../chat/model.js';

interface PendingAck {
  pos: number;
  at: number;
  written?: Promise<ReceiptsMade>;
}

/** The highest pos and newest time of the acks a write folded in, read when the write runs. */
export type TakeAck = () => { pos: number; at: number };

/**
 * Queues a device's ack write in the adapter's group commit: the write calls
 * `take` when it runs (and again if the adapter runs it again) to learn what
 * to write.
 */
export type EnqueueAck = (deviceId: string, take: TakeAck) => Promise<ReceiptsMade>;

/**
 * Folds the acks of one device that wait for the same batch into one write:
 * a device acks nearly every event it receives, and only the highest pos
 * matters because acked pos only moves forward. Shared by the adapters.
 *
 * The receipts of a merged write resolve the promise of the first ack that
 * joined it; the acks folded into it resolve with nothing made once it is
 * durable. Each receipt is thus returned, and published, exactly once.
 */
export class AckCoalescer {
  private readonly pending = new Map<string, PendingAck>();

  constructor(private readonly enqueue: EnqueueAck) {}

  ack(deviceId: string, pos: number, at: number): Promise<ReceiptsMade> {
    const waiting = this.pending.get(deviceId);
    if (waiting?.written !== undefined) {
      waiting.pos = Math.max(waiting.pos, pos);
      waiting.at = Math.max(waiting.at, at);
      return waiting.written.then(() => ({ appended: [], moves: [] }));
    }
    const ack: PendingAck = { pos, at };
    // Registered before enqueueing: a full queue flushes inside `enqueue`, and
    // the write must then find and remove its own entry, not leave it behind.
    this.pending.set(deviceId, ack);
    const forget = () => {
      if (this.pending.get(deviceId) === ack) this.pending.delete(deviceId);
    };
    ack.written = this.enqueue(deviceId, () => {
      forget();
      return { pos: ack.pos, at: ack.at };
    });
    // A batch that fails before this write runs (a locked database, an earlier
    // write that ended the transaction) must not leave the entry behind: every
    // later ack of the device would join the failed write and fail with it.
    ack.written.catch(forget);
    return ack.written;
  }
}
