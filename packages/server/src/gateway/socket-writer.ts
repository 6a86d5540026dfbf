import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ServerFrame } from '@parley/protocol';
import type { ServerMetrics } from '../lib/server-metrics.js';
import { waitForDrain } from './wait-for-drain.js';

/** Small frames (events, receipts, answers) share a write up to this size. */
const corkedBytesMax = 16 * 1024;

/**
 * What leaves one connection: frames, with the send queue bounded. A client
 * that stops reading fills the queue past `sendQueueBytesMax`; the writer
 * then calls `onStalled` (the session closes with 4503) instead of buffering
 * without end. The frames of one event-loop turn leave in one write: a
 * batch's fan-out or a replay page is one syscall, not one per frame.
 */
export class SocketWriter {
  private corked = false;

  constructor(
    private readonly socket: WebSocket,
    /** The TCP (or TLS) stream under `socket`, to cork. */
    private readonly transport: Duplex,
    private readonly sendQueueBytesMax: number,
    private readonly metrics: ServerMetrics,
    private readonly onStalled: () => void,
  ) {}

  writeFrame(frame: ServerFrame): boolean {
    if (frame.type === 'error') this.metrics.framesRefused.inc({ code: frame.code });
    return this.write(JSON.stringify(frame));
  }

  /** Queues one serialised frame; false when the socket is closing or the client has stopped reading. */
  write(frame: string): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    if (this.socket.bufferedAmount > this.sendQueueBytesMax) {
      this.onStalled();
      return false;
    }
    this.corkUntilNextTick();
    this.socket.send(frame);
    // Corked bytes count as unsent: past a few frames' worth, they go now,
    // so the check above sees only what the client left unread.
    if (this.transport.writableLength >= corkedBytesMax) {
      this.transport.uncork();
      this.transport.cork();
    }
    return true;
  }

  /**
   * Whether a replay may write now: at most half the send queue is used. A
   * replay paces itself to the client and never fills the queue that closes
   * a slow consumer. Checked without awaiting, so frames of one page still
   * share one write.
   */
  hasRoom(): boolean {
    return this.socket.bufferedAmount <= this.sendQueueBytesMax / 2;
  }

  /** Waits until `hasRoom()`; false (after `onStalled`) when the client does not read in time. */
  async waitForRoom(): Promise<boolean> {
    if (await waitForDrain(this.socket, this.sendQueueBytesMax / 2)) return true;
    this.onStalled();
    return false;
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** Drops the connection without a closing handshake: the peer is gone. */
  terminate(): void {
    this.socket.terminate();
  }

  private corkUntilNextTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.transport.cork();
    process.nextTick(() => {
      this.corked = false;
      this.transport.uncork();
    });
  }
}
