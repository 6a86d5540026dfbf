import type { ChatContext } from './chat-context.js';
import { hashDeviceToken } from './device-tokens.js';
import type { Device, User } from './model.js';
import { ParleyError } from './parley-error.js';

/**
 * Resolves a device token with one indexed lookup; never runs the password
 * hash. A device unused for `tokenIdleExpiryMs` is revoked on its next try,
 * unless the wall clock has been stepped since the server started: revoking
 * is for good, and one reading of a clock that just jumped forward would
 * revoke every device that connects while it is wrong. Expiry then waits for
 * a restart (the operator is told; see docs/operations.md).
 */
export async function authenticateDevice(context: ChatContext, token: string): Promise<{ user: User; device: Device }> {
  const found = await context.store.authenticate(hashDeviceToken(token));
  if (found === undefined) throw new ParleyError('unauthorized', 'bad or expired token');
  const { tokenIdleExpiryMs, clockStepToleranceMs } = context.limits;
  const clockTrusted = Math.abs(context.clock.steppedMs()) <= clockStepToleranceMs;
  if (clockTrusted && context.clock.now() - found.device.lastActiveAt > tokenIdleExpiryMs) {
    await context.store.revokeDevice(found.user.id, found.device.id);
    throw new ParleyError('unauthorized', 'bad or expired token');
  }
  return found;
}
