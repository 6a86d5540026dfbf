import type { AppendTransaction } from '../../chat/append-message-rule.js';
import type { BlockQueries } from './block-queries.js';
import type { ConversationQueries } from './conversation-queries.js';
import type { MessageQueries } from './message-queries.js';
import type { PushQueries } from './push-queries.js';
import type { StreamQueries } from './stream-queries.js';

/** The rows `appendMessage` reads and writes, as SQLite statements; valid inside a write transaction only. */
export function appendRows(queries: {
  conversations: ConversationQueries;
  blocks: BlockQueries;
  messages: MessageQueries;
  streams: StreamQueries;
  pushJobs: PushQueries;
}): AppendTransaction {
  const { conversations, blocks, messages, streams, pushJobs } = queries;
  return {
    membership: (conversationId, userId) => conversations.getMember(conversationId, userId),
    head: (conversationId) => messages.head(conversationId),
    memberIds: (conversationId) => conversations.memberIds(conversationId),
    blockersOf: (userId) => blocks.blockersOf(userId),
    findMessage: (senderId, id) => messages.find(senderId, id),
    insertMessage: (message, withheld) => messages.insert(message, withheld),
    appendMessageEventToMembers: (conversationId, seq) =>
      streams.appendMessageEventToMembers(conversations.currentMemberIds(conversationId), conversationId, seq),
    appendMessageEventTo: (userId, conversationId, seq) => streams.appendMessageEventTo(userId, conversationId, seq),
    pushCandidates: (conversationId, userIds) => pushJobs.pushCandidates(conversationId, userIds),
    savePushJobs: (conversationId, jobs) => pushJobs.savePushJobs(conversationId, jobs),
  };
}
