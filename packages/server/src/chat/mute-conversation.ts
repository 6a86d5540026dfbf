import type { Caller, ChatContext } from './chat-context.js';
import type { PushStore } from './store-port.js';

/**
 * Mutes a conversation for the caller until `until` (ms since the epoch), or
 * unmutes it (null): no push notification for it meanwhile, on any of the
 * user's devices. Messages still arrive on open sockets. Members only:
 * `not_found` for anyone else, `not_member` for a former member.
 */
export async function muteConversation(context: ChatContext<Pick<PushStore, 'setMute'>>, caller: Caller, conversationId: string, until: number | null): Promise<void> {
  await context.store.setMute(conversationId, caller.userId, until);
}
