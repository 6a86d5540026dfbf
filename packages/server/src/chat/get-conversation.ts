import type { Caller, ChatContext } from './chat-context.js';
import type { Conversation, Member } from './model.js';
import { assert } from '../lib/assert.js';
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
  assert(conversation !== undefined, `conversation ${conversationId} of a member exists`);
  const members = (await context.store.listMembers(conversationId)).filter((member) => member.leftAtSeq === null);
  return { conversation, members };
}
