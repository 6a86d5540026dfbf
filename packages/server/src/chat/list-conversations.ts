import type { Caller, ChatContext } from './chat-context.js';
import type { ConversationSummary } from './model.js';

/** The conversations the caller is or was a member of, with what a chat list shows. */
export function listConversations(context: ChatContext, caller: Caller): Promise<ConversationSummary[]> {
  return context.store.listConversations(caller.userId);
}
