import type { ParleyApi, UserView } from '@parley/client';
import { CliError } from './cli-error.js';
import type { UserDirectory } from './user-directory.js';

/** The user with exactly this username (usernames compare in lower case); remembered in `directory` when given. */
export async function findUser(api: ParleyApi, username: string, directory?: UserDirectory): Promise<UserView> {
  const wanted = username.trim().replace(/^@/, '').toLowerCase();
  const users = await api.searchUsers(wanted);
  const user = users.find((candidate) => candidate.username.toLowerCase() === wanted);
  if (!user) throw new CliError(`no user named "${username}"`);
  directory?.remember(user);
  return user;
}

/** Every user named, in order; fails on the first unknown name. */
export async function findUsers(api: ParleyApi, usernames: string[], directory?: UserDirectory): Promise<UserView[]> {
  const users: UserView[] = [];
  for (const username of usernames) users.push(await findUser(api, username, directory));
  return users;
}
