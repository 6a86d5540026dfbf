import { hostname } from 'node:os';
import { ParleyApi, ParleyApiError, type LoginRequest, type SessionView } from '@parley/client';
import { CliError } from '../cli-error.js';
import { defaultServerUrl, type CliContext } from '../cli-context.js';
import { describeError } from '../describe-error.js';
import { loadProfile, sameServer, saveProfile, type Profile } from '../profile.js';
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
  if (username === undefined) throw new CliError(`give a username, or --link-code <code> from ${context.command} link on another device`);
  const password = await readPassword(context, options.password);
  const profile = await logIn(context, server, { username, password }, options.deviceName);
  context.print(`logged in as @${profile.username} on ${server} (device ${profile.deviceId})`);
  return profile;
}

/**
 * Logs in (with a password or a link code) and saves the profile; shared with
 * `register`. A profile holds one device: the device it held before is
 * revoked once the new one exists, so logging in again never piles devices up.
 */
export async function logIn(
  context: CliContext,
  server: string,
  credentials: { username: string; password: string } | { linkCode: string },
  deviceName: string | undefined,
): Promise<Profile> {
  const previous = await loadProfile(context).catch(() => undefined);
  const api = new ParleyApi({ baseUrl: server });
  const request: LoginRequest = { ...credentials, deviceName: deviceName ?? defaultDeviceName(context) };
  let session: SessionView;
  try {
    session = await api.login(request).catch(async (error: unknown) => {
      // At the device limit, the device this login replaces makes the room.
      if (!(error instanceof ParleyApiError && error.code === 'conflict' && previous !== undefined && replaces(previous, server, credentials))) throw error;
      await revokePrevious(context, previous);
      return api.login(request);
    });
  } catch (error) {
    throw loginFailure(error, 'linkCode' in credentials, context.command);
  }
  const profile: Profile = {
    server,
    token: session.token,
    userId: session.user.id,
    username: session.user.username,
    deviceId: session.device.id,
  };
  await saveProfile(context, profile);
  if (previous !== undefined && previous.deviceId !== profile.deviceId) await revokePrevious(context, previous);
  return profile;
}

/** What a refused login means to the person, where the server's words are not enough. */
function loginFailure(error: unknown, withLinkCode: boolean, command: string): unknown {
  if (error instanceof ParleyApiError && error.code === 'unauthorized') {
    return new CliError(withLinkCode ? `the link code is wrong, used or expired: run ${command} link again` : 'wrong username or password');
  }
  if (error instanceof ParleyApiError && error.code === 'bad_request' && withLinkCode) {
    return new CliError('that is not a link code: it looks like ABCDE-FGHJK');
  }
  return error;
}

/** A device name that tells, in the device list, which machine and profile it is. */
function defaultDeviceName(context: CliContext): string {
  const profile = context.profileName === 'default' ? '' : ` (profile ${context.profileName})`;
  return `parley cli on ${hostname()}${profile}`.slice(0, 64);
}

/** Whether logging in with these credentials replaces the profile's device (same server, same account). */
function replaces(previous: Profile, server: string, credentials: { username: string } | { linkCode: string }): boolean {
  return sameServer(previous.server, server) && 'username' in credentials && credentials.username.toLowerCase() === previous.username.toLowerCase();
}

/** Logs the profile's old device out; one the server no longer knows is gone already. */
async function revokePrevious(context: CliContext, previous: Profile): Promise<void> {
  try {
    await new ParleyApi({ baseUrl: previous.server, token: previous.token }).logout();
  } catch (error) {
    if (error instanceof ParleyApiError && error.code === 'unauthorized') return;
    context.note(`could not log out this profile's previous device ${previous.deviceId} on ${previous.server}: ${describeError(error, context.command)}`);
  }
}

/** Where to log in: `--server` / `PARLEY_SERVER`, else the profile's last server, else the default. */
export async function serverFor(context: CliContext): Promise<string> {
  if (context.serverOverride !== undefined) return context.serverOverride;
  const profile = await loadProfile(context).catch(() => undefined);
  return profile?.server ?? defaultServerUrl;
}
