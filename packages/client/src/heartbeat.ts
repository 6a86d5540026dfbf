export interface HeartbeatOptions {
  /** Time between application-level pings. */
  intervalMs: number;
  /** Time without any traffic from the server after which the connection counts as dead. */
  idleTimeoutMs: number;
  ping(): void;
  onDead(): void;
}

/**
 * Keeps a connection honest. TCP can take many minutes to notice a peer that
 * vanished (a laptop lid closed, a NAT entry dropped), so the client pings
 * and treats silence longer than `idleTimeoutMs` as a dead connection. Any
 * frame from the server counts as traffic, pongs included.
 */
export class Heartbeat {
  private lastTrafficAt = 0;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private watchdogTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: HeartbeatOptions) {}

  start(): void {
    this.stop();
    this.touch();
    this.pingTimer = setInterval(() => this.options.ping(), this.options.intervalMs);
    this.arm(this.options.idleTimeoutMs);
  }

  touch(): void {
    this.lastTrafficAt = Date.now();
  }

  stop(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.watchdogTimer);
    this.pingTimer = undefined;
    this.watchdogTimer = undefined;
  }

  /** One timer re-armed lazily, rather than a reset on every frame. */
  private arm(delayMs: number): void {
    this.watchdogTimer = setTimeout(() => {
      const silentMs = Date.now() - this.lastTrafficAt;
      if (silentMs < this.options.idleTimeoutMs) {
        this.arm(this.options.idleTimeoutMs - silentMs);
        return;
      }
      this.stop();
      this.options.onDead();
    }, delayMs);
  }
}
