import type { Caller, ChatContext } from './chat-context.js';
import type { Device } from './model.js';

export interface DeviceStatus {
  device: Device;
  /** Some node holds a live session of it (the bus's record). */
  online: boolean;
}

/** The caller's own devices, each with whether it is online now. */
export async function listDevices(context: ChatContext, caller: Caller): Promise<DeviceStatus[]> {
  const devices = await context.store.listDevices(caller.userId);
  const online = await context.bus.onlineDevices(caller.userId);
  return devices.map((device) => ({ device, online: online.has(device.id) }));
}
