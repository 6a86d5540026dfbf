import type { ParleyApi, UserView } from '@parley/client';
import { CliError } from './cli-error.js';

/** The user with exactly this username (usernames compare in lower case). */
export async function findUser(api: ParleyApi, username: string): Promise<UserView> {
  const wanted = username.trim().toLowerCase();
  const users = await api.searchUsers(wanted);
  const user = users.find((candidate) => candidate.username.toLowerCase() === wanted);
  if (!user) throw new CliError(`no user named "${username}"`);
  return user;
}
