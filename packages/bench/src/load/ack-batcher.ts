/** What the batcher needs of a socket: the newest pos it received, and a way to ack it. */
export interface Ackable {
  readonly receivedPos: number;
  ackedPos: number;
  sendAck(pos: number): void;
}

/**
 * Cumulative, batched acks, as the SDK sends them: every event marks its
 * socket, and once per event-loop turn (or per `intervalMs`) each marked
 * socket acks its newest pos in one frame. A burst of events read in one
 * turn costs one ack, which is what keeps the server's ack writes and
 * delivered receipts at the real protocol's rate.
 */
export class AckBatcher {
  private readonly marked = new Set<Ackable>();
  private scheduled = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `intervalMs` 0: flush at the end of the current turn (setImmediate), as the SDK does. */
  constructor(private readonly intervalMs = 0) {}

  mark(socket: Ackable): void {
    this.marked.add(socket);
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.intervalMs === 0) setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    this.scheduled = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const socket of this.marked) {
      if (socket.receivedPos > socket.ackedPos) {
        socket.ackedPos = socket.receivedPos;
        socket.sendAck(socket.receivedPos);
      }
    }
    this.marked.clear();
  }

  forget(socket: Ackable): void {
    this.marked.delete(socket);
  }
}
