import type { Caller, ChatContext } from './chat-context.js';
import { requireUser } from './account-rules.js';
import { ParleyError } from './parley-error.js';
import type { AccountStore, BlockStore } from './store-port.js';

/**
 * Blocks a user: their messages in direct conversations with the caller are
 * accepted for them (one tick) but never delivered, and no presence or typing
 * flows between the two.
 */
export async function blockUser(context: ChatContext<BlockStore & Pick<AccountStore, 'getUser'>>, caller: Caller, blockedId: string): Promise<void> {
  if (blockedId === caller.userId) throw new ParleyError('bad_request', 'you cannot block yourself');
  requireUser(await context.store.getUser(blockedId));
  await context.store.blockUser(caller.userId, blockedId, context.clock.now());
}

export async function unblockUser(context: ChatContext<BlockStore & Pick<AccountStore, 'getUser'>>, caller: Caller, blockedId: string): Promise<void> {
  await context.store.unblockUser(caller.userId, blockedId);
}
