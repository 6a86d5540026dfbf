import type { ChatContext } from './chat-context.js';
import { requireMembership } from './membership-rule.js';
import type { Member } from './model.js';
import type { ConversationStore } from './store-port.js';

/** The caller's membership of a conversation, by the membership rule (`requireMembership`). */
export async function requireMember(
  context: ChatContext<Pick<ConversationStore, 'getMember'>>,
  conversationId: string,
  userId: string,
  options: { former: 'allow' | 'refuse' },
): Promise<Member> {
  return requireMembership(await context.store.getMember(conversationId, userId), options.former);
}

/** The seqs a member may read: from after they joined to when they left. */
export function visibleSeqs(member: Member): { from: number; to: number } {
  return { from: member.joinedAfterSeq + 1, to: member.leftAtSeq ?? Number.MAX_SAFE_INTEGER };
}
