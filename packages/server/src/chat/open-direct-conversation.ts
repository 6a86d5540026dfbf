import type { Caller, ChatContext } from './chat-context.js';
import { requireUser } from './account-rules.js';
import { newConversationId } from './ids.js';
import type { Conversation } from './model.js';
import { ParleyError } from './parley-error.js';
import type { AccountStore, ConversationStore } from './store-port.js';

/** The caller's direct conversation with `peerId`, created on first use (at most one per pair). */
export async function openDirectConversation(
  context: ChatContext<ConversationStore & Pick<AccountStore, 'getUser'>>,
  caller: Caller,
  peerId: string,
): Promise<{ conversation: Conversation; created: boolean }> {
  if (peerId === caller.userId) throw new ParleyError('bad_request', 'a direct conversation needs another user');
  requireUser(await context.store.getUser(peerId));
  const opened = await context.store.openDirectConversation({
    id: newConversationId(),
    userIds: [caller.userId, peerId],
    createdBy: caller.userId,
    createdAt: context.clock.now(),
  });
  if (opened.created) {
    // The store appended `created` to both streams; wake both so live sessions learn of it.
    for (const userId of [caller.userId, peerId]) context.bus.publish(userId, { kind: 'stream', entries: [] });
  }
  return opened;
}
