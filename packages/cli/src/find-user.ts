import type { ParleyApi, UserView } from '@parley/client';
import { CliError } from './cli-error.js';
import { safeLine } from './terminal-safe.js';
import type { UserDirectory } from './user-directory.js';

/**
 * The user with exactly this username (usernames compare in lower case);
 * remembered in `directory` when given. When there is no such user but a
 * group has that name, the error says to add `--group`; `command` is how
 * the person runs the CLI, for that hint.
 */
export async function findUser(api: ParleyApi, username: string, command: string, directory?: UserDirectory): Promise<UserView> {
  const wanted = username.trim().replace(/^@/, '').toLowerCase();
  const users = await api.searchUsers(wanted);
  const user = users.find((candidate) => candidate.username.toLowerCase() === wanted);
  if (user) {
    directory?.remember(user);
    return user;
  }
  const groups = (await api.conversations()).filter((conversation) => conversation.type === 'group');
  if (groups.some((group) => group.name.toLowerCase() === username.trim().toLowerCase())) {
    throw new CliError(`no user named "${safeLine(username)}", but you have a group of that name: add --group (${command} send --group "${safeLine(username)}" <text>)`);
  }
  throw new CliError(`no user named "${safeLine(username)}"`);
}

/** Every user named, in order; fails on the first unknown name. */
export async function findUsers(api: ParleyApi, usernames: string[], command: string, directory?: UserDirectory): Promise<UserView[]> {
  const users: UserView[] = [];
  for (const username of usernames) users.push(await findUser(api, username, command, directory));
  return users;
}
