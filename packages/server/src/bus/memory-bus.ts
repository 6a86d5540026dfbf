import type { Bus, NoticeListener, UserNotice } from './bus.js';

/** The in-process bus of the embedded default: a notice reaches this process's listeners only. */
export class MemoryBus implements Bus {
  private readonly listeners = new Map<string, Set<NoticeListener>>();
  /** Live sessions per device on this process. */
  private readonly onlineDevices = new Map<string, number>();

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

  markDeviceOnline(_userId: string, deviceId: string): () => void {
    this.onlineDevices.set(deviceId, (this.onlineDevices.get(deviceId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = this.onlineDevices.get(deviceId) ?? 0;
      if (count <= 1) this.onlineDevices.delete(deviceId);
      else this.onlineDevices.set(deviceId, count - 1);
    };
  }

  async isDeviceOnline(_userId: string, deviceId: string): Promise<boolean> {
    return this.onlineDevices.has(deviceId);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.onlineDevices.clear();
  }
}
