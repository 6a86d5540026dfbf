import type { ChatContext } from './chat-context.js';
import { hashDeviceToken } from './device-tokens.js';
import type { Device, User } from './model.js';
import { ParleyError } from './parley-error.js';

/**
 * Resolves a device token with one indexed lookup; never runs the password
 * hash. A device unused for `tokenIdleExpiryMs` is revoked on its next try.
 */
export async function authenticateDevice(context: ChatContext, token: string): Promise<{ user: User; device: Device }> {
  const found = await context.store.authenticate(hashDeviceToken(token));
  if (found === undefined) throw new ParleyError('unauthorized', 'bad or expired token');
  if (context.clock.now() - found.device.lastActiveAt > context.limits.tokenIdleExpiryMs) {
    await context.store.revokeDevice(found.user.id, found.device.id);
    throw new ParleyError('unauthorized', 'bad or expired token');
  }
  return found;
}
