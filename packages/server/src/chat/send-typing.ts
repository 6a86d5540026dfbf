import type { TypingEvent } from '@parley/protocol';
import type { Caller, ChatContext } from './chat-context.js';
import { requireMember } from './require-member.js';
import type { BlockStore, ConversationStore } from './store-port.js';

/** Forwards a typing indicator to the other members' online devices, except across a block. Never stored. */
export async function sendTyping(context: ChatContext<ConversationStore & BlockStore>, caller: Caller, conversationId: string, active: boolean): Promise<void> {
  await requireMember(context, conversationId, caller.userId, { former: 'refuse' });
  const members = await context.store.listMembers(conversationId);
  const blocked = new Set(await context.store.listBlockRelations(caller.userId));
  const event: TypingEvent = { type: 'typing', conversation: conversationId, user: caller.userId, active };
  const frame = JSON.stringify(event);
  for (const member of members) {
    if (member.leftAtSeq === null && member.userId !== caller.userId && !blocked.has(member.userId)) {
      context.bus.publish(member.userId, { kind: 'ephemeral', frame });
    }
  }
}
