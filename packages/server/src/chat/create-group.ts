import type { Caller, ChatContext } from './chat-context.js';
import { newConversationId } from './ids.js';
import type { Conversation } from './model.js';
import { publishAppended } from './publish-appended.js';
import type { MembershipStore } from './store-port.js';

export interface GroupDraft {
  name: string;
  members: string[];
}

/** Creates a group with the caller as its first admin. */
export async function createGroup(context: ChatContext<MembershipStore>, caller: Caller, draft: GroupDraft): Promise<Conversation> {
  const { conversation, appended } = await context.store.createGroup(
    { id: newConversationId(), name: draft.name, createdBy: caller.userId, memberIds: draft.members, createdAt: context.clock.now() },
    context.limits.maxGroupSize,
  );
  publishAppended(context.bus, appended);
  return conversation;
}
