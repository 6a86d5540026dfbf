import type { Caller, ChatContext } from './chat-context.js';
import { publishReceipts } from './publish-receipts.js';
import type { StreamStore } from './store-port.js';

/** The user has read up to `seq`: a `read` receipt to the user's own devices and to the senders (in a group, once everyone has). */
export async function markRead(context: ChatContext<StreamStore>, caller: Caller, conversationId: string, seq: number): Promise<void> {
  publishReceipts(context.bus, await context.store.markRead(conversationId, caller.userId, seq));
}
