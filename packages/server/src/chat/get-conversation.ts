import type { Caller, ChatContext } from './chat-context.js';
import type { Conversation, Member } from './model.js';
import { ParleyError } from './parley-error.js';
import { requireMember } from './require-member.js';
import type { ConversationStore } from './store-port.js';

/** A conversation's details and current members, for its members only. */
export async function getConversation(
  context: ChatContext<ConversationStore>,
  caller: Caller,
  conversationId: string,
): Promise<{ conversation: Conversation; members: Member[] }> {
  await requireMember(context, conversationId, caller.userId, { former: 'refuse' });
  const conversation = await context.store.getConversation(conversationId);
  if (conversation === undefined) throw new ParleyError('not_found', 'no such conversation');
  const members = (await context.store.listMembers(conversationId)).filter((member) => member.leftAtSeq === null);
  return { conversation, members };
}
