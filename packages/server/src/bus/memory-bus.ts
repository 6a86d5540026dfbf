import type { Bus, NoticeListener, UserNotice } from './bus.js';

/** The in-process bus of the embedded default: a notice reaches this process's listeners only. */
export class MemoryBus implements Bus {
  private readonly listeners = new Map<string, Set<NoticeListener>>();

  publish(userId: string, notice: UserNotice): void {
    const listeners = this.listeners.get(userId);
    if (listeners === undefined) return;
    for (const listener of listeners) listener(notice);
  }

  subscribe(userId: string, listener: NoticeListener): () => void {
    let listeners = this.listeners.get(userId);
    if (listeners === undefined) {
      listeners = new Set();
      this.listeners.set(userId, listeners);
    }
    listeners.add(listener);
    return () => {
      const current = this.listeners.get(userId);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(userId);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
