import { ParleyApi, ParleyApiError } from '@parley/client';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../cli-context.js';
import type { Profile } from '../profile.js';
import { readPassword } from '../read-password.js';
import { logIn, serverFor } from './login.js';

export interface RegisterOptions {
  password?: string;
  displayName?: string;
  /** An invite code, for a server with `--registration invite`. */
  invite?: string;
}

/** `parley register <username>`: creates the account, then logs in as it. */
export async function register(context: CliContext, username: string, options: RegisterOptions = {}): Promise<Profile> {
  const server = await serverFor(context);
  const password = await readPassword(context, options.password);
  const api = new ParleyApi({ baseUrl: server });
  const inviteCode = options.invite ?? (context.env.PARLEY_INVITE || undefined);
  const user = await api
    .register({
      username,
      password,
      ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
      ...(inviteCode === undefined ? {} : { inviteCode }),
    })
    .catch((error: unknown) => {
      // Closed registration is forbidden too, and no invite code helps there: only the invite refusal gets the hint.
      if (error instanceof ParleyApiError && error.code === 'forbidden' && inviteCode === undefined && /invite/i.test(error.message)) {
        throw new CliError(`this server admits new accounts by invite only: ask its admin for an invite code, then run ${context.command} register ${username} --invite <code>`);
      }
      if (error instanceof ParleyApiError && error.code === 'forbidden') throw new CliError(error.message);
      throw error;
    });
  const profile = await logIn(context, server, { username: user.username, password }, undefined);
  context.print(`registered @${profile.username} on ${server} and logged in (device ${profile.deviceId})`);
  return profile;
}
