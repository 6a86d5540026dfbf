import type { Caller, ChatContext } from './chat-context.js';
import type { StreamEntry } from './model.js';

/** The caller's stream after `afterPos`, at most `limit` entries in pos order: a page of a replay. */
export function readStream(context: ChatContext, caller: Caller, afterPos: number, limit: number): Promise<StreamEntry[]> {
  return context.store.readStream(caller.userId, afterPos, limit);
}
