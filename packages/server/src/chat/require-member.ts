import type { ChatContext } from './chat-context.js';
import type { Member } from './model.js';
import { ParleyError } from './parley-error.js';
import type { ConversationStore } from './store-port.js';

/**
 * The caller's membership of a conversation. Someone who never was a member
 * gets `not_found`, so the conversation's existence is not revealed; a former
 * member gets `not_member` unless `former` allows reading what they saw.
 */
export async function requireMember(
  context: ChatContext<Pick<ConversationStore, 'getMember'>>,
  conversationId: string,
  userId: string,
  options: { former: 'allow' | 'refuse' },
): Promise<Member> {
  const member = await context.store.getMember(conversationId, userId);
  if (member === undefined) throw new ParleyError('not_found', 'no such conversation');
  if (member.leftAtSeq !== null && options.former === 'refuse') {
    throw new ParleyError('not_member', 'you are no longer a member of this conversation');
  }
  return member;
}

/** The seqs a member may read: from after they joined to when they left. */
export function visibleSeqs(member: Member): { from: number; to: number } {
  return { from: member.joinedAfterSeq + 1, to: member.leftAtSeq ?? Number.MAX_SAFE_INTEGER };
}
