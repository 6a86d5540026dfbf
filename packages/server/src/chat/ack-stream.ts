import type { Caller, ChatContext } from './chat-context.js';
import { publishReceipts } from './publish-receipts.js';
import type { StreamStore } from './store-port.js';

/**
 * Records that the device has processed its stream up to `pos`; the first
 * device of a user to pass a message makes its `delivered` receipt.
 */
export async function ackStream(context: ChatContext<StreamStore>, caller: Caller, pos: number): Promise<void> {
  publishReceipts(context.bus, await context.store.ackStream(caller.deviceId, pos, context.clock.now()));
}
