export interface CatchUpQueueParts {
  /** Brings the sessions of one user up to date with the store. */
  catchUpUser: (userId: string) => Promise<void>;
  /** Users caught up at once, at most: a catch-up of every user on the node must not flood the store. */
  concurrencyMax: number;
  onError: (error: unknown) => void;
}

/**
 * The users whose sessions must read what they may have missed (the bus said
 * `catch_up`), worked through a few at a time. A user already waiting is not
 * queued twice, so a bus that repeats `catch_up` every second while it is
 * down costs at most one round per user at a time, never a pile-up.
 */
export class CatchUpQueue {
  /** In arrival order. */
  private readonly waiting = new Set<string>();
  private running = 0;

  constructor(private readonly parts: CatchUpQueueParts) {}

  add(userId: string): void {
    this.waiting.add(userId);
    this.startNext();
  }

  private startNext(): void {
    for (const userId of this.waiting) {
      if (this.running >= this.parts.concurrencyMax) return;
      this.waiting.delete(userId);
      this.running++;
      this.parts
        .catchUpUser(userId)
        .catch(this.parts.onError)
        .finally(() => {
          this.running--;
          this.startNext();
        });
    }
  }
}
