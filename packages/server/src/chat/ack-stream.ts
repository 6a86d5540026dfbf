import type { Caller, ChatContext } from './chat-context.js';
import { publishAppended } from './publish-appended.js';
import type { StreamStore } from './store-port.js';

/**
 * Records that the device has processed its stream up to `pos`; the first
 * device of a user to pass a message makes its `delivered` receipt.
 */
export async function ackStream(context: ChatContext<StreamStore>, caller: Caller, pos: number): Promise<void> {
  const receipts = await context.store.ackStream(caller.deviceId, pos, context.clock.now());
  publishAppended(context.bus, receipts);
}
