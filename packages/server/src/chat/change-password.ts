import type { Caller, ChatContext } from './chat-context.js';
import { ParleyError } from './parley-error.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { AccountStore } from './store-port.js';

/**
 * Sets a new password after checking the current one, and signs out every
 * other device: whoever knew the old password may hold one of them.
 */
export async function changePassword(
  context: ChatContext<AccountStore>,
  caller: Caller & { username: string },
  change: { currentPassword: string; newPassword: string },
): Promise<void> {
  const credentials = await context.store.findCredentials(caller.username);
  if (credentials === undefined || !(await verifyPassword(credentials.passwordHash, change.currentPassword))) {
    throw new ParleyError('forbidden', 'the current password is wrong');
  }
  await context.store.setPasswordHash(caller.userId, await hashPassword(change.newPassword));
  for (const deviceId of await context.store.revokeOtherDevices(caller.userId, caller.deviceId)) {
    context.bus.publish(caller.userId, { kind: 'device_revoked', deviceId });
  }
}
