import type { Caller, ChatContext } from './chat-context.js';
import { publishAppended } from './publish-appended.js';
import type { StreamStore } from './store-port.js';

/** The user has read up to `seq`: a `read` receipt to the senders and to the user's own devices. */
export async function markRead(context: ChatContext<StreamStore>, caller: Caller, conversationId: string, seq: number): Promise<void> {
  const receipts = await context.store.markRead(conversationId, caller.userId, seq);
  publishAppended(context.bus, receipts);
}
