import { hostname } from 'node:os';
import { ParleyApi, ParleyApiError } from '@parley/client';
import { CliError } from '../cli-error.js';
import { defaultServerUrl, type CliContext } from '../cli-context.js';
import { loadProfile, saveProfile, type Profile } from '../profile.js';
import { readPassword } from '../read-password.js';

export interface LoginOptions {
  password?: string;
  deviceName?: string;
}

/** `parley login <username>`: creates a device on the server and keeps its token in the profile. */
export async function login(context: CliContext, username: string, options: LoginOptions = {}): Promise<Profile> {
  const server = await serverFor(context);
  const password = await readPassword(context, options.password);
  const profile = await logIn(context, server, username, password, options.deviceName);
  context.print(`logged in as @${profile.username} on ${server} (device ${profile.deviceId})`);
  return profile;
}

/** Logs in and saves the profile; shared with `register`. */
export async function logIn(
  context: CliContext,
  server: string,
  username: string,
  password: string,
  deviceName: string | undefined,
): Promise<Profile> {
  const api = new ParleyApi({ baseUrl: server });
  const session = await api
    .login({ username, password, deviceName: deviceName ?? `parley cli on ${hostname()}`.slice(0, 64) })
    .catch((error: unknown) => {
      if (error instanceof ParleyApiError && error.code === 'unauthorized') throw new CliError('wrong username or password');
      throw error;
    });
  const profile: Profile = {
    server,
    token: session.token,
    userId: session.user.id,
    username: session.user.username,
    deviceId: session.device.id,
  };
  await saveProfile(context, profile);
  return profile;
}

/** Where to log in: `--server` / `PARLEY_SERVER`, else the profile's last server, else the default. */
export async function serverFor(context: CliContext): Promise<string> {
  if (context.serverOverride !== undefined) return context.serverOverride;
  const profile = await loadProfile(context).catch(() => undefined);
  return profile?.server ?? defaultServerUrl;
}
