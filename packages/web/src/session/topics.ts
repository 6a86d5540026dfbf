/** What a screen can watch: the chat list, the connection, one conversation, or the user directory. */
export type Topic = 'list' | 'connection' | 'users' | `conversation:${string}`;

/**
 * Change notification by topic for `useSyncExternalStore`: each topic has a
 * version that grows on every change, so a component re-renders only when
 * what it watches changed, and reads the data from the store itself.
 */
export class Topics {
  private readonly versions = new Map<Topic, number>();
  private readonly listeners = new Map<Topic, Set<() => void>>();
  private readonly due = new Set<Topic>();
  private scheduled = false;

  subscribe(topic: Topic, listener: () => void): () => void {
    let set = this.listeners.get(topic);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  version(topic: Topic): number {
    return this.versions.get(topic) ?? 0;
  }

  /** Marks topics changed; listeners hear once per task however many events changed them (a replay brings hundreds). */
  changed(...topics: Topic[]): void {
    for (const topic of topics) {
      this.versions.set(topic, this.version(topic) + 1);
      this.due.add(topic);
    }
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const due = [...this.due];
      this.due.clear();
      for (const topic of due) for (const listener of [...(this.listeners.get(topic) ?? [])]) listener();
    });
  }
}
