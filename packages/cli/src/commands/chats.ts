import type { CliContext } from '../cli-context.js';
import { signedIn } from '../profile.js';
import { UserDirectory } from '../user-directory.js';
import { safeLine } from '../terminal-safe.js';

/** `parley chats`: the conversations, newest first, with unread counts. */
export async function chats(context: CliContext): Promise<void> {
  const { api } = await signedIn(context);
  const conversations = await api.conversations();
  if (conversations.length === 0) {
    context.print(`no conversations yet: ${context.command} send <username> <text> or ${context.command} group create <name> <username...> starts one`);
    return;
  }
  const directory = await UserDirectory.open(context, api);
  const newestFirst = [...conversations].sort((a, b) => (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0));
  for (const conversation of newestFirst) {
    const who =
      conversation.type === 'direct' && conversation.peer !== undefined
        ? `${safeLine(conversation.name)} (@${safeLine(await directory.nameOf(conversation.peer))})`
        : `${safeLine(conversation.name)} (group ${conversation.id})`;
    const unread = conversation.unread > 0 ? `${conversation.unread} unread` : 'no unread';
    context.print(`${who.padEnd(40)}  ${unread.padEnd(10)}  last seq ${conversation.lastSeq}`);
  }
}
