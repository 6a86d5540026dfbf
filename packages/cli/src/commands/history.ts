import type { MessageView, ParleyApi } from '@parley/client';
import type { CliContext } from '../cli-context.js';
import { findConversation } from '../find-conversation.js';
import { formatMessage } from '../format-message.js';
import { signedIn } from '../profile.js';
import { UserDirectory } from '../user-directory.js';

export interface HistoryOptions {
  /** How many of the newest messages to print. */
  limit?: number;
  /** `to` names a group (its name or id) rather than a user. */
  group?: boolean;
}

const historyLimitDefault = 50;

/**
 * `parley history <username>` or `parley history --group <group>`: the newest
 * messages of the conversation, oldest first.
 */
export async function history(context: CliContext, to: string, options: HistoryOptions = {}): Promise<void> {
  const { profile, api } = await signedIn(context);
  const directory = await UserDirectory.open(context, api);
  directory.remember({ id: profile.userId, username: profile.username, displayName: profile.username });
  const target = await findConversation(api, to, options.group === true, directory, context.command);
  const id = target.conversation?.id;
  const messages = id === undefined ? [] : await newestMessages(api, id, options.limit ?? historyLimitDefault);
  if (messages.length === 0) context.print(`no messages with ${target.label} yet`);
  for (const message of messages) context.print(formatMessage(message, await directory.nameOf(message.sender)));
  await directory.save();
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
