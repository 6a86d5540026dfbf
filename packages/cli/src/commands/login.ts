import { hostname } from 'node:os';
import { ParleyApi, ParleyApiError, type LoginRequest } from '@parley/client';
import { CliError } from '../cli-error.js';
import { defaultServerUrl, type CliContext } from '../cli-context.js';
import { loadProfile, saveProfile, type Profile } from '../profile.js';
import { readPassword } from '../read-password.js';

export interface LoginOptions {
  password?: string;
  deviceName?: string;
  /** A code from `parley link` on a device already logged in: no username or password then. */
  linkCode?: string;
}

/**
 * `parley login <username>` or `parley login --link-code <code>`: creates a
 * device on the server and keeps its token in the profile.
 */
export async function login(context: CliContext, username: string | undefined, options: LoginOptions = {}): Promise<Profile> {
  const server = await serverFor(context);
  if (options.linkCode !== undefined) {
    if (username !== undefined) throw new CliError('give a username or --link-code, not both');
    const profile = await logIn(context, server, { linkCode: options.linkCode }, options.deviceName);
    context.print(`logged in as @${profile.username} on ${server} (device ${profile.deviceId}, linked)`);
    return profile;
  }
  if (username === undefined) throw new CliError('give a username, or --link-code <code> from parley link on another device');
  const password = await readPassword(context, options.password);
  const profile = await logIn(context, server, { username, password }, options.deviceName);
  context.print(`logged in as @${profile.username} on ${server} (device ${profile.deviceId})`);
  return profile;
}

/** Logs in (with a password or a link code) and saves the profile; shared with `register`. */
export async function logIn(
  context: CliContext,
  server: string,
  credentials: { username: string; password: string } | { linkCode: string },
  deviceName: string | undefined,
): Promise<Profile> {
  const api = new ParleyApi({ baseUrl: server });
  const request: LoginRequest = { ...credentials, deviceName: deviceName ?? `parley cli on ${hostname()}`.slice(0, 64) };
  const session = await api.login(request).catch((error: unknown) => {
    if (error instanceof ParleyApiError && error.code === 'unauthorized') {
      throw new CliError('linkCode' in credentials ? 'the link code is wrong, used or expired: run parley link again' : 'wrong username or password');
    }
    if (error instanceof ParleyApiError && error.code === 'bad_request' && 'linkCode' in credentials) {
      throw new CliError('that is not a link code: it looks like ABCDE-FGHJK');
    }
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
