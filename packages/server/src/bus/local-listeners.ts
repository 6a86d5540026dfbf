import type { HeardNotice, NoticeListener } from './bus.js';

export interface LocalListenersHooks {
  /** The user's first listener on this node arrived: a cluster adapter starts listening for them. */
  onFirstListener?: (userId: string) => void;
  /** The user's last listener on this node left. */
  onLastListener?: (userId: string) => void;
}

/** The listeners of this process, by user: what every Bus adapter delivers a notice to. */
export class LocalListeners {
  private readonly byUser = new Map<string, Set<NoticeListener>>();

  constructor(private readonly hooks: LocalListenersHooks = {}) {}

  get users(): Iterable<string> {
    return this.byUser.keys();
  }

  deliver(userId: string, notice: HeardNotice): void {
    const listeners = this.byUser.get(userId);
    if (listeners === undefined) return;
    // Copy: a listener may unsubscribe while it handles the notice.
    for (const listener of [...listeners]) listener(notice);
  }

  /** Adds a listener until the returned function is called; a second call of it changes nothing. */
  add(userId: string, listener: NoticeListener): () => void {
    let listeners = this.byUser.get(userId);
    if (listeners === undefined) {
      listeners = new Set();
      this.byUser.set(userId, listeners);
      this.hooks.onFirstListener?.(userId);
    }
    listeners.add(listener);
    return () => {
      const current = this.byUser.get(userId);
      if (current === undefined || !current.delete(listener) || current.size > 0) return;
      this.byUser.delete(userId);
      this.hooks.onLastListener?.(userId);
    };
  }

  clear(): void {
    this.byUser.clear();
  }
}
