import type { ChatContext } from './chat-context.js';
import type { Device } from './model.js';
import type { AccountStore, StreamStore } from './store-port.js';

/**
 * Where a connecting device's stream starts: after its acked pos, or, when it
 * was away longer than the server keeps events, at the current pos with a
 * resync (the device then refetches history over HTTP).
 *
 * The floor is read first and the device's acked pos after it, not taken from
 * the row read at hello: the device's previous connection may write its last
 * ack and compact the stream in between, and the floor then passes the pos
 * read at hello though the device processed everything below it. Acked pos
 * and floor only go up, and a compaction stops at the acked pos of every
 * active device, so a pos read after the floor is below it only for a device
 * that was away too long.
 */
export async function startStream(context: ChatContext<StreamStore & AccountStore>, device: Device): Promise<{ afterPos: number; resync: boolean }> {
  const floor = await context.store.streamFloor(device.userId);
  const ackedPos = (await context.store.getDevice(device.id))?.ackedPos ?? device.ackedPos;
  if (ackedPos >= floor) return { afterPos: ackedPos, resync: false };
  return { afterPos: await context.store.resetDevicePos(device.id), resync: true };
}
