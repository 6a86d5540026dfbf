import type { MessageView, ParleyApi } from '@parley/client';
import type { CliContext } from '../cli-context.js';
import { findUser } from '../find-user.js';
import { formatMessage } from '../format-message.js';
import { signedIn } from '../profile.js';
import { UserDirectory } from '../user-directory.js';

export interface HistoryOptions {
  /** How many of the newest messages to print. */
  limit?: number;
}

const historyLimitDefault = 50;

/** `parley history <username>`: the newest messages of the direct conversation, oldest first. */
export async function history(context: CliContext, username: string, options: HistoryOptions = {}): Promise<void> {
  const { profile, api } = await signedIn(context);
  const peer = await findUser(api, username);
  const conversations = await api.conversations();
  const direct = conversations.find((conversation) => conversation.type === 'direct' && conversation.peer === peer.id);
  if (!direct) {
    context.print(`no messages with @${peer.username} yet`);
    return;
  }
  const messages = await newestMessages(api, direct.id, options.limit ?? historyLimitDefault);
  if (messages.length === 0) context.print(`no messages with @${peer.username} yet`);
  const directory = new UserDirectory(api);
  directory.remember(peer);
  directory.remember({ id: profile.userId, username: profile.username, displayName: profile.username });
  for (const message of messages) context.print(formatMessage(message, await directory.nameOf(message.sender)));
}

/** The newest `limit` messages in ascending seq, paging backwards since the server caps a page. */
async function newestMessages(api: ParleyApi, conversationId: string, limit: number): Promise<MessageView[]> {
  let messages: MessageView[] = [];
  let before: number | undefined;
  while (messages.length < limit) {
    const wanted = limit - messages.length;
    const page = await api.history(conversationId, { limit: wanted, ...(before === undefined ? {} : { before }) });
    const first = page.messages[0];
    if (!first) break;
    messages = [...page.messages.slice(-wanted), ...messages];
    if (first.seq <= 1) break;
    before = first.seq;
  }
  return messages;
}
