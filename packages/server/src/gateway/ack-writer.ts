export interface AckWriterDelays {
  /** For an ack past a message from someone else: its `delivered` receipt waits this long at most. */
  receiptMs: number;
  /** For an ack of the device's own messages, receipts and changes only: it makes no receipt. */
  quietMs: number;
}

/**
 * When a connection writes its device's acked pos. A client acks nearly every
 * event; writing each ack would make acks most of the store's load. So acks
 * gather, and one write records the newest. An ack that makes a `delivered`
 * receipt is written soon, since the sender is waiting for the tick; one
 * that makes none (the echo of the device's own message, the receipts it
 * was sent) only moves the pos, and waits longer. Acks are not durable
 * promises: one lost in a crash only replays events the client dedupes.
 *
 * One write at a time, always of the newest pos.
 */
export class AckWriter {
  private requested = 0;
  private written = 0;
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Number.POSITIVE_INFINITY;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly write: (pos: number) => Promise<void>,
    private readonly delays: AckWriterDelays,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** The pos the device starts from, already stored. */
  start(pos: number): void {
    this.requested = this.written = pos;
  }

  /** The client acked `pos`; `makesReceipt` when that passes a message from someone else not acked before. */
  request(pos: number, makesReceipt: boolean): void {
    if (pos <= this.requested) return;
    this.requested = pos;
    this.scheduleWithin(makesReceipt ? this.delays.receiptMs : this.delays.quietMs);
  }

  /** Writes what is pending at once (the connection is closing); resolves once everything requested is written. */
  async flush(): Promise<void> {
    this.cancelTimer();
    while (this.written < this.requested || this.writing !== undefined) await this.startWriting();
  }

  private scheduleWithin(delayMs: number): void {
    const dueAt = Date.now() + delayMs;
    if (dueAt >= this.dueAt) return;
    this.cancelTimer();
    this.dueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dueAt = Number.POSITIVE_INFINITY;
      void this.startWriting();
    }, delayMs);
  }

  /** The write under way, or a new one. It is forgotten once settled, in a later microtask than its start. */
  private startWriting(): Promise<void> {
    this.writing ??= this.writeNewest().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async writeNewest(): Promise<void> {
    try {
      while (this.written < this.requested) {
        const pos = this.requested;
        await this.write(pos);
        this.written = pos;
      }
    } catch (error) {
      this.onFailure(error);
      // Not retried here: the next ack, or the close, writes again.
      this.requested = this.written;
    }
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
  }
}
