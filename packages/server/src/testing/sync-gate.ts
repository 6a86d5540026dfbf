/**
 * Holds the store's WAL syncs while shut, as a slow disk would: each sync
 * waits for the gate to open, then runs the real fdatasync. Give `syncWal`
 * to the store (or the app) as its `syncWal` option.
 */
export class SyncGate {
  /** Syncs that have started, held or not. */
  started = 0;
  /** Syncs whose real fdatasync has completed. */
  completed = 0;
  private shut = false;
  private readonly held: (() => void)[] = [];

  readonly syncWal = async (fdatasync: () => Promise<void>): Promise<void> => {
    this.started++;
    if (this.shut) await new Promise<void>((resolve) => this.held.push(resolve));
    await fdatasync();
    this.completed++;
  };

  /** Syncs waiting for the gate. */
  get waiting(): number {
    return this.held.length;
  }

  /** Holds the syncs that start from now on. */
  shutNow(): void {
    this.shut = true;
  }

  /** Lets the held syncs run, and the later ones pass. */
  open(): void {
    this.shut = false;
    for (const release of this.held.splice(0)) release();
  }
}
