import type { Caller, ChatContext } from './chat-context.js';
import type { Message } from './model.js';
import { requireMember, visibleSeqs } from './require-member.js';
import type { ConversationStore, MessageStore } from './store-port.js';

export interface HistoryRequest {
  before?: number | undefined;
  after?: number | undefined;
  limit?: number | undefined;
}

const historyPageDefault = 50;

/** A page of history in ascending seq, limited to what the caller may see. */
export async function readHistory(
  context: ChatContext<ConversationStore & MessageStore>,
  caller: Caller,
  conversationId: string,
  request: HistoryRequest,
): Promise<Message[]> {
  const member = await requireMember(context, conversationId, caller.userId, { former: 'allow' });
  const limit = Math.min(request.limit ?? historyPageDefault, context.limits.historyPageMax);
  return context.store.readHistory(
    conversationId,
    {
      limit,
      ...(request.before === undefined ? {} : { before: request.before }),
      ...(request.after === undefined ? {} : { after: request.after }),
    },
    visibleSeqs(member),
    caller.userId,
  );
}
