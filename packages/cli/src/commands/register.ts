import { ParleyApi } from '@parley/client';
import type { CliContext } from '../cli-context.js';
import type { Profile } from '../profile.js';
import { readPassword } from '../read-password.js';
import { logIn, serverFor } from './login.js';

export interface RegisterOptions {
  password?: string;
  displayName?: string;
}

/** `parley register <username>`: creates the account, then logs in as it. */
export async function register(context: CliContext, username: string, options: RegisterOptions = {}): Promise<Profile> {
  const server = await serverFor(context);
  const password = await readPassword(context, options.password);
  const api = new ParleyApi({ baseUrl: server });
  const user = await api.register({
    username,
    password,
    ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
  });
  const profile = await logIn(context, server, { username: user.username, password }, undefined);
  context.print(`registered @${profile.username} on ${server} and logged in (device ${profile.deviceId})`);
  return profile;
}
