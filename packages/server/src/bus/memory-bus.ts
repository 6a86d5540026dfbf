import type { Bus, NoticeListener, UserNotice } from './bus.js';

/** The in-process bus of the embedded default: a notice reaches this process's listeners only. */
export class MemoryBus implements Bus {
  private readonly listeners = new Map<string, Set<NoticeListener>>();
  /** Live sessions per device of each user, on this process. */
  private readonly sessionsOnline = new Map<string, Map<string, number>>();

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

  markDeviceOnline(userId: string, deviceId: string): () => void {
    let devices = this.sessionsOnline.get(userId);
    if (devices === undefined) {
      devices = new Map();
      this.sessionsOnline.set(userId, devices);
    }
    devices.set(deviceId, (devices.get(deviceId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const current = this.sessionsOnline.get(userId);
      const count = current?.get(deviceId) ?? 0;
      if (count > 1) current?.set(deviceId, count - 1);
      else current?.delete(deviceId);
      if (current?.size === 0) this.sessionsOnline.delete(userId);
    };
  }

  async onlineDevices(userId: string): Promise<ReadonlySet<string>> {
    return new Set(this.sessionsOnline.get(userId)?.keys());
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.sessionsOnline.clear();
  }
}
