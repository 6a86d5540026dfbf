import type { AckFrame } from '@parley/protocol';

/**
 * Decides what to ack and when. An ack names a pos that is both saved (the
 * device keeps its promise across a restart) and received on the current
 * socket (a server may refuse an ack of events it has not sent on this
 * connection). Acks are coalesced: any number of requests in one tick produce
 * at most one ack frame, carrying the newest pos; acks are cumulative, so the
 * newest one says everything the skipped ones would have.
 */
export class AckScheduler {
  private sentPos = 0;
  private wantedPos = 0;
  private scheduled = false;
  private receivedPos = 0;
  private savedPos = 0;

  /** `send` returns false when the frame could not be written (no open socket). */
  constructor(private readonly send: (frame: AckFrame) => boolean) {}

  /** A stream event arrived on the current socket. */
  received(pos: number): void {
    this.receivedPos = Math.max(this.receivedPos, pos);
  }

  /** The state up to `pos` is saved: ack what is also received. */
  saved(pos: number): void {
    this.savedPos = Math.max(this.savedPos, pos);
    this.requestDue();
  }

  /** The saved pos as loaded from storage, or 0 when the stored cursor was discarded. */
  restoreSaved(pos: number): void {
    this.savedPos = pos;
  }

  /** Asks for the ack of everything saved and received (again, after the server replayed something processed). */
  requestDue(): void {
    const pos = Math.min(this.savedPos, this.receivedPos);
    if (pos > 0) this.request(pos);
  }

  request(pos: number): void {
    if (pos <= this.sentPos) return;
    this.wantedPos = Math.max(this.wantedPos, pos);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  /** A new connection: nothing is received on it yet, and what the last one sent may not have arrived. */
  reset(): void {
    this.sentPos = 0;
    this.wantedPos = 0;
    this.receivedPos = 0;
  }

  /** Sends the wanted ack now rather than at the end of the tick (before closing the socket). */
  flush(): void {
    this.scheduled = false;
    const pos = this.wantedPos;
    if (pos <= this.sentPos) return;
    if (this.send({ type: 'ack', pos })) this.sentPos = pos;
  }
}
