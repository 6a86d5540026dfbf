/** Why a node tells its sessions to catch up. */
export type CatchUpReason = 'disconnected' | 'reconnected' | 'quiet' | 'heard_again';

/**
 * Decides when a node may have missed notices from the others, from what it
 * sees of its link to the broker. Disconnected: anything published meanwhile
 * is lost, so catch up at once and at every tick until the link is back
 * (sessions then read the store themselves, and a message still reaches them
 * within a tick or two). Reconnected: catch up once. Connected but the node's
 * own heartbeat has not come back for `quietAfterMs` (a silent partition, a
 * stalled broker): as while disconnected, until it comes back, and once more
 * then, because what was published during the silence may never arrive.
 * Time is passed in (monotonic ms), so tests drive it.
 */
export class DeliveryWatch {
  private linkUp = true;
  private quiet = false;
  /** After a reconnect: the first own heartbeat back proves the subscriptions are in place again. */
  private awaitingEcho = false;
  private lastHeardAtMs: number;

  constructor(
    private readonly quietAfterMs: number,
    nowMs: number,
    private readonly catchUp: (reason: CatchUpReason) => void,
  ) {
    this.lastHeardAtMs = nowMs;
  }

  /** True while notices may be lost: disconnected, or quiet. */
  get isDegraded(): boolean {
    return !this.linkUp || this.quiet;
  }

  disconnected(): void {
    this.linkUp = false;
    this.catchUp('disconnected');
  }

  reconnected(nowMs: number): void {
    this.linkUp = true;
    this.awaitingEcho = true;
    // The heartbeat needs a moment to come back: no quiet period is counted before it could.
    this.lastHeardAtMs = nowMs;
    this.catchUp('reconnected');
  }

  ownHeartbeatHeard(nowMs: number): void {
    this.lastHeardAtMs = nowMs;
    if (!this.quiet && !this.awaitingEcho) return;
    this.quiet = false;
    this.awaitingEcho = false;
    this.catchUp('heard_again');
  }

  /** Called once a tick (a second): repeats the catch-up while the link cannot be trusted. */
  tick(nowMs: number): void {
    if (!this.linkUp) {
      this.catchUp('disconnected');
    } else if (nowMs - this.lastHeardAtMs >= this.quietAfterMs) {
      this.quiet = true;
      this.catchUp('quiet');
    }
  }
}
