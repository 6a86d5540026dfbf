import type { ConversationView } from '@parley/client';
import type { CliContext } from '../cli-context.js';
import { findGroup } from '../find-group.js';
import { findUser, findUsers } from '../find-user.js';
import { signedIn } from '../profile.js';
import { UserDirectory } from '../user-directory.js';
import { safeLine } from '../terminal-safe.js';

/** `parley group create <name> <username...>`: a group with the caller as admin. */
export async function groupCreate(context: CliContext, name: string, usernames: string[]): Promise<ConversationView> {
  const { api } = await signedIn(context);
  const directory = await UserDirectory.open(context, api);
  const members = await findUsers(api, usernames, context.command, directory);
  const group = await api.createGroup(name, members.map((member) => member.id));
  await directory.save();
  context.print(`created group "${safeLine(group.name)}" (${group.id}) with ${members.map((member) => `@${member.username}`).join(', ')}`);
  return group;
}

/** `parley group add <group> <username...>` (admins). */
export async function groupAdd(context: CliContext, groupName: string, usernames: string[]): Promise<void> {
  const { api } = await signedIn(context);
  const directory = await UserDirectory.open(context, api);
  const group = await findGroup(api, groupName, context.command);
  const members = await findUsers(api, usernames, context.command, directory);
  await api.addMembers(group.id, members.map((member) => member.id));
  await directory.save();
  context.print(`added ${members.map((member) => `@${member.username}`).join(', ')} to "${safeLine(group.name)}"`);
}

/** `parley group remove <group> <username>` (admins). */
export async function groupRemove(context: CliContext, groupName: string, username: string): Promise<void> {
  const { api } = await signedIn(context);
  const group = await findGroup(api, groupName, context.command);
  const member = await findUser(api, username, context.command);
  await api.removeMember(group.id, member.id);
  context.print(`removed @${member.username} from "${safeLine(group.name)}"`);
}

/** `parley group leave <group>`: the last admin leaving hands the role to the longest member. */
export async function groupLeave(context: CliContext, groupName: string): Promise<void> {
  const { profile, api } = await signedIn(context);
  const group = await findGroup(api, groupName, context.command);
  await api.removeMember(group.id, profile.userId);
  context.print(`left "${safeLine(group.name)}"`);
}

/** `parley group members <group>`: who is in it, admins first. */
export async function groupMembers(context: CliContext, groupName: string): Promise<void> {
  const { profile, api } = await signedIn(context);
  const directory = await UserDirectory.open(context, api);
  directory.remember({ id: profile.userId, username: profile.username, displayName: profile.username });
  const group = await api.conversation((await findGroup(api, groupName, context.command)).id);
  const members = [];
  for (const member of group.members) members.push({ ...member, name: await directory.nameOf(member.user) });
  // Admins first, then by name: the server's order means nothing to a reader.
  members.sort((a, b) => Number(b.role === 'admin') - Number(a.role === 'admin') || a.name.localeCompare(b.name));
  context.print(`"${safeLine(group.name)}" (${group.id}), ${group.members.length} members:`);
  for (const member of members) {
    const you = member.user === profile.userId ? ' (you)' : '';
    context.print(`  @${safeLine(member.name)}${member.role === 'admin' ? '  admin' : ''}${you}`);
  }
}
