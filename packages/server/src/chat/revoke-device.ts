import type { Caller, ChatContext } from './chat-context.js';
import { ParleyError } from './parley-error.js';
import type { AccountStore } from './store-port.js';

/**
 * Deletes one of the caller's devices: its token stops working on the next
 * call, and its open sockets close with 4403 wherever they are.
 */
export async function revokeDevice(context: ChatContext<AccountStore>, caller: Caller, deviceId: string): Promise<void> {
  const revoked = await context.store.revokeDevice(caller.userId, deviceId);
  if (!revoked) throw new ParleyError('not_found', 'no such device');
  context.bus.publish(caller.userId, { kind: 'device_revoked', deviceId });
}
