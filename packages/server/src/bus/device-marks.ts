/** The devices this process holds a live session of, by user; marks nest (see `Bus.markDeviceOnline`). */
export class DeviceMarks {
  /** Live sessions per device of each user. */
  private readonly byUser = new Map<string, Map<string, number>>();

  mark(userId: string, deviceId: string): () => void {
    let devices = this.byUser.get(userId);
    if (devices === undefined) {
      devices = new Map();
      this.byUser.set(userId, devices);
    }
    devices.set(deviceId, (devices.get(deviceId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const current = this.byUser.get(userId);
      const count = current?.get(deviceId) ?? 0;
      if (count > 1) current?.set(deviceId, count - 1);
      else current?.delete(deviceId);
      if (current?.size === 0) this.byUser.delete(userId);
    };
  }

  devicesOf(userId: string): string[] {
    return [...(this.byUser.get(userId)?.keys() ?? [])];
  }

  clear(): void {
    this.byUser.clear();
  }
}
