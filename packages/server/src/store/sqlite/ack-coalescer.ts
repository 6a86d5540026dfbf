import type { GroupCommit } from './group-commit.js';

interface PendingAck {
  pos: number;
  at: number;
  written?: Promise<void>;
}

/**
 * Folds the acks of one device that wait for the same batch into one write:
 * a device acks nearly every event it receives, and only the highest pos
 * matters because acked pos only moves forward.
 */
export class AckCoalescer {
  private readonly pending = new Map<string, PendingAck>();

  constructor(
    private readonly writes: GroupCommit,
    private readonly write: (deviceId: string, pos: number, at: number) => void,
  ) {}

  ack(deviceId: string, pos: number, at: number): Promise<void> {
    const waiting = this.pending.get(deviceId);
    if (waiting?.written !== undefined) {
      waiting.pos = Math.max(waiting.pos, pos);
      waiting.at = Math.max(waiting.at, at);
      return waiting.written;
    }
    const ack: PendingAck = { pos, at };
    // Registered before enqueueing: a full queue flushes inside `enqueue`, and
    // the write must then find and remove its own entry, not leave it behind.
    this.pending.set(deviceId, ack);
    ack.written = this.writes.enqueue(() => {
      this.pending.delete(deviceId);
      this.write(deviceId, ack.pos, ack.at);
    });
    return ack.written;
  }
}
