import type { Caller, ChatContext } from './chat-context.js';
import { requireMember } from './require-member.js';
import type { ConversationStore } from './store-port.js';

/**
 * May the caller watch the per-member receipts of the conversation live
 * (`watch_receipts`)? Current members only: `not_found` for a stranger,
 * `not_member` for a former member, as for any frame about a conversation.
 * The connection keeps what it watches; nothing is stored.
 */
export async function watchReceipts(context: ChatContext<ConversationStore>, caller: Caller, conversationId: string): Promise<void> {
  await requireMember(context, conversationId, caller.userId, { former: 'refuse' });
}
