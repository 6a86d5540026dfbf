import type { WebSocket } from 'ws';

/**
 * Whether a connection is still there. The gateway sweeps every connection
 * each half idle timeout (one timer for all, not one each); a connection
 * that showed no sign of life (a frame, a pong) for a whole round is gone.
 */
export class Heartbeat {
  private alive = true;

  constructor(private readonly socket: WebSocket) {
    const seen = () => {
      this.alive = true;
    };
    socket.on('message', seen);
    socket.on('pong', seen);
  }

  /** Pings a live connection; false when it did not answer since the last sweep. */
  sweep(): boolean {
    if (!this.alive) return false;
    this.alive = false;
    this.socket.ping();
    return true;
  }
}
