import type { Caller, ChatContext } from './chat-context.js';
import { messageRecipients, type RecipientReceipt } from './message-recipients.js';
import { ParleyError } from './parley-error.js';
import { requireMember, visibleSeqs } from './require-member.js';
import type { ConversationStore, MessageStore } from './store-port.js';

/**
 * Per member, whether a message reached them and whether they read it: the
 * detail behind a group's aggregate receipts. For members only, about what
 * they may see: a stranger gets `not_found`, a former member `not_member`
 * past their removal, and a seq they cannot see (before their join, not sent
 * yet, withheld from them) `not_found`.
 */
export async function getMessageReceipts(
  context: ChatContext<ConversationStore & MessageStore>,
  caller: Caller,
  conversationId: string,
  seq: number,
): Promise<RecipientReceipt[]> {
  const member = await requireMember(context, conversationId, caller.userId, { former: 'allow' });
  if (member.leftAtSeq !== null && seq > member.leftAtSeq) throw new ParleyError('not_member', 'you are no longer a member of this conversation');
  const [message] = await context.store.readHistory(conversationId, { after: seq - 1, limit: 1 }, visibleSeqs(member), caller.userId);
  if (message?.seq !== seq) throw new ParleyError('not_found', 'no such message');
  return messageRecipients(await context.store.listMembers(conversationId), message);
}
