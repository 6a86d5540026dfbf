/**
 * The other nodes this one has heard from lately (by their heartbeats): the
 * nodes an `onlineDevices` question waits for. A node unheard of for
 * `deadAfterMs` is taken for dead and no longer waited for.
 */
export class LiveNodes {
  private readonly lastHeardAtMs = new Map<string, number>();

  constructor(private readonly deadAfterMs: number) {}

  /** Returns true when the node was not known alive: it just started, or came back. */
  heard(nodeId: string, nowMs: number): boolean {
    const isNew = !this.isAlive(nodeId, nowMs);
    this.lastHeardAtMs.set(nodeId, nowMs);
    return isNew;
  }

  left(nodeId: string): void {
    this.lastHeardAtMs.delete(nodeId);
  }

  alive(nowMs: number): string[] {
    const alive: string[] = [];
    for (const [nodeId, heardAtMs] of this.lastHeardAtMs) {
      if (nowMs - heardAtMs < this.deadAfterMs) alive.push(nodeId);
      else this.lastHeardAtMs.delete(nodeId);
    }
    return alive;
  }

  private isAlive(nodeId: string, nowMs: number): boolean {
    const heardAtMs = this.lastHeardAtMs.get(nodeId);
    return heardAtMs !== undefined && nowMs - heardAtMs < this.deadAfterMs;
  }
}
