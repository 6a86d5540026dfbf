import type { ChatContext } from './chat-context.js';
import { hashDeviceToken } from './device-tokens.js';
import type { Device, User } from './model.js';
import { ParleyError } from './parley-error.js';

/** Resolves a device token with one indexed lookup; never runs the password hash. */
export async function authenticateDevice(context: ChatContext, token: string): Promise<{ user: User; device: Device }> {
  const found = await context.store.authenticate(hashDeviceToken(token));
  if (found === undefined) throw new ParleyError('unauthorized', 'bad or expired token');
  return found;
}
