import type { ChatContext } from './chat-context.js';
import { hashDeviceToken, newDeviceToken } from './device-tokens.js';
import { newDeviceId } from './ids.js';
import type { Device, User } from './model.js';
import { ParleyError } from './parley-error.js';
import { verifyAgainstNothing, verifyPassword } from './passwords.js';
import type { AccountStore } from './store-port.js';

export interface LoginAttempt {
  username: string;
  password: string;
  deviceName?: string | undefined;
}

export interface NewSession {
  token: string;
  user: User;
  device: Device;
}

/**
 * Checks the password and creates a device with a fresh token. An unknown user
 * and a wrong password get the same answer after the same work.
 */
export async function logIn(context: ChatContext<AccountStore>, attempt: LoginAttempt): Promise<NewSession> {
  const credentials = await context.store.findCredentials(attempt.username);
  const valid = credentials
    ? await verifyPassword(credentials.passwordHash, attempt.password)
    : await verifyAgainstNothing(attempt.password);
  if (!credentials || !valid) throw new ParleyError('unauthorized', 'wrong username or password');

  const token = newDeviceToken();
  const device = await context.store.createDevice(
    {
      id: newDeviceId(),
      userId: credentials.user.id,
      name: attempt.deviceName ?? 'unnamed device',
      tokenHash: hashDeviceToken(token),
      createdAt: context.clock.now(),
    },
    context.limits.maxDevices,
  );
  return { token, user: credentials.user, device };
}
