import type { ChatContext } from './chat-context.js';
import type { Device } from './model.js';
import type { StreamStore } from './store-port.js';

/**
 * Where a connecting device's stream starts: after its acked pos, or, when it
 * was away longer than the server keeps events, at the current pos with a
 * resync (the device then refetches history over HTTP).
 */
export async function startStream(context: ChatContext<StreamStore>, device: Device): Promise<{ afterPos: number; resync: boolean }> {
  const floor = await context.store.streamFloor(device.userId);
  if (device.ackedPos >= floor) return { afterPos: device.ackedPos, resync: false };
  return { afterPos: await context.store.resetDevicePos(device.id), resync: true };
}
