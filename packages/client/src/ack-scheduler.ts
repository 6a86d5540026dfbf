import type { AckFrame } from '@parley/protocol';

/**
 * Coalesces acks: any number of `request(pos)` calls in one tick produce at
 * most one ack frame, carrying the newest pos. Acks are cumulative, so the
 * newest one says everything the skipped ones would have.
 */
export class AckScheduler {
  private sentPos = 0;
  private wantedPos = 0;
  private scheduled = false;

  /** `send` returns false when the frame could not be written (no open socket). */
  constructor(private readonly send: (frame: AckFrame) => boolean) {}

  request(pos: number): void {
    if (pos <= this.sentPos) return;
    this.wantedPos = Math.max(this.wantedPos, pos);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  /** A new connection: what the last one sent may not have arrived, so nothing counts as sent. */
  reset(): void {
    this.sentPos = 0;
    this.wantedPos = 0;
  }

  /** Sends the wanted ack now rather than at the end of the tick (before closing the socket). */
  flush(): void {
    this.scheduled = false;
    const pos = this.wantedPos;
    if (pos <= this.sentPos) return;
    if (this.send({ type: 'ack', pos })) this.sentPos = pos;
  }
}
