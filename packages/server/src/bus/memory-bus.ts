import type { Bus, NoticeListener, UserNotice } from './bus.js';
import { DeviceMarks } from './device-marks.js';
import { LocalListeners } from './local-listeners.js';

/** The in-process bus of the embedded default: a notice reaches this process's listeners only. */
export class MemoryBus implements Bus {
  private readonly listeners = new LocalListeners();
  private readonly devices = new DeviceMarks();

  publish(userId: string, notice: UserNotice): void {
    this.listeners.deliver(userId, notice);
  }

  subscribe(userId: string, listener: NoticeListener): () => void {
    return this.listeners.add(userId, listener);
  }

  markDeviceOnline(userId: string, deviceId: string): () => void {
    return this.devices.mark(userId, deviceId);
  }

  async onlineDevices(userId: string): Promise<ReadonlySet<string>> {
    return new Set(this.devices.devicesOf(userId));
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.devices.clear();
  }
}
