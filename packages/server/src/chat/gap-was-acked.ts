import type { Caller, ChatContext } from './chat-context.js';
import type { AccountStore } from './store-port.js';

/**
 * Whether the events missing from the stored stream before `storedPos` were
 * all acked by the caller's device. Its previous connection (on this node or
 * another) may write its last ack and compact the stream after this
 * connection read where to start: the device processed those events, and the
 * stream goes on after them. A compaction never passes the acked pos of a
 * device active within the retention window, so a device that did not ack
 * them was away too long and resyncs.
 */
export async function gapWasAcked(context: ChatContext<AccountStore>, caller: Caller, storedPos: number): Promise<boolean> {
  const device = await context.store.getDevice(caller.deviceId);
  return device !== undefined && device.ackedPos >= storedPos - 1;
}
