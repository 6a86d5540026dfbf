import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ParleyApi } from '@parley/client';
import type { CliContext } from './cli-context.js';
import { CliError } from './cli-error.js';

/** A signed-in identity on one server: what `login` writes and every other command reads. */
export interface Profile {
  server: string;
  token: string;
  userId: string;
  username: string;
  deviceId: string;
}

/** Profile names become file names: keep them to characters that cannot escape the directory. */
const profileNamePattern = /^[A-Za-z0-9._-]{1,64}$/;

export function profilePath(context: CliContext): string {
  return join(profilesDir(context), `${checkedName(context.profileName)}.json`);
}

/** The SDK's state (stream cursor, outbox) for this profile's device. */
export function clientStatePath(context: CliContext): string {
  return join(profilesDir(context), `${checkedName(context.profileName)}.state.json`);
}

/** Usernames of user ids met before (the API has no "user by id" call), for printing. */
export function userNamesPath(context: CliContext): string {
  return join(profilesDir(context), `${checkedName(context.profileName)}.users.json`);
}

export async function loadProfile(context: CliContext): Promise<Profile | undefined> {
  let text: string;
  try {
    text = await readFile(profilePath(context), 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  const profile = parseProfile(text);
  if (!profile) throw new CliError(`the profile file is damaged: ${profilePath(context)}; run ${loginCommand(context)}`);
  return profile;
}

/** Writes the profile readable by its owner only (it holds a token), atomically. */
export async function saveProfile(context: CliContext, profile: Profile): Promise<void> {
  await mkdir(profilesDir(context), { recursive: true, mode: 0o700 });
  const path = profilePath(context);
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(profile, null, 2)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  // A new device starts a new stream cursor: the old state belongs to another device.
  await rm(clientStatePath(context), { force: true });
}

export async function removeProfile(context: CliContext): Promise<void> {
  await rm(profilePath(context), { force: true });
  await rm(clientStatePath(context), { force: true });
  await rm(userNamesPath(context), { force: true });
}

/**
 * The profile and an API client with its token, or a clear "log in first".
 * A `--server` other than the profile's is refused: the token belongs to the
 * server that issued it and is never sent anywhere else.
 */
export async function signedIn(context: CliContext): Promise<{ profile: Profile; api: ParleyApi }> {
  const profile = await loadProfile(context);
  if (!profile) throw new CliError(`not logged in: run ${loginCommand(context)}`);
  const override = context.serverOverride;
  if (override !== undefined && sameServer(override, profile.server) === false) {
    throw new CliError(
      `profile "${context.profileName}" is logged in on ${profile.server}, not ${override}: ` +
        `drop --server (and PARLEY_SERVER), or log in there with ${context.command} --profile <name> --server ${override} login <username>`,
    );
  }
  return { profile, api: new ParleyApi({ baseUrl: profile.server, token: profile.token }) };
}

/** Whether two server URLs name the same server (case, default ports and a trailing slash aside). */
export function sameServer(a: string, b: string): boolean {
  const normal = (url: string) => {
    try {
      return new URL(url).href.replace(/\/+$/, '');
    } catch {
      return url;
    }
  };
  return normal(a) === normal(b);
}

/** The command that logs this profile in, for messages that ask the user to. */
export function loginCommand(context: CliContext, username = '<username>'): string {
  return `${commandFor(context)} login ${username}`;
}

/** The command for this profile: `parley`, or `parley --profile bob`, in the form that started this process. */
export function commandFor(context: CliContext): string {
  return context.profileName === 'default' ? context.command : `${context.command} --profile ${context.profileName}`;
}

function profilesDir(context: CliContext): string {
  return join(context.configDir, 'profiles');
}

function checkedName(name: string): string {
  if (!profileNamePattern.test(name)) {
    throw new CliError(`bad profile name "${name}": use letters, digits, ".", "_" and "-"`);
  }
  return name;
}

function parseProfile(text: string): Profile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const fields = ['server', 'token', 'userId', 'username', 'deviceId'] as const;
  if (!fields.every((field) => typeof record[field] === 'string')) return undefined;
  return record as unknown as Profile;
}
