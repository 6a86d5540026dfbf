import type { Caller, ChatContext } from './chat-context.js';

/** The ids of the users the caller blocked. */
export function listBlocked(context: ChatContext, caller: Caller): Promise<string[]> {
  return context.store.listBlocked(caller.userId);
}
