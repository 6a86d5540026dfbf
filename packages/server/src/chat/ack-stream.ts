import type { Caller, ChatContext } from './chat-context.js';

/** Records that the device has processed its stream up to `pos`. */
export async function ackStream(context: ChatContext, caller: Caller, pos: number): Promise<void> {
  await context.store.ackStream(caller.deviceId, pos, context.clock.now());
}
