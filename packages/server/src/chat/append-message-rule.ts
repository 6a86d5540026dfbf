import type { ConversationKind } from '@parley/protocol';
import { assert } from '../lib/assert.js';
import { requireMembership, type MembershipState } from './membership-rule.js';
import { messageTime } from './message-time.js';
import type { AppendResult, Delivery, Message, MessageDraft } from './model.js';
import { queuePushJobs, type PushEnqueueTransaction } from './push-queue-rule.js';
import { retriedMessage } from './retry-rule.js';
import { isWithheld } from './withholding-rule.js';

export interface ConversationHead {
  kind: ConversationKind;
  /** 0 before the first message. */
  lastSeq: number;
  /** The newest message's `at`; undefined before the first message. */
  lastAt: number | undefined;
}

/** The rows an append reads and writes, all inside one transaction of the adapter. */
export interface AppendTransaction extends PushEnqueueTransaction {
  membership(conversationId: string, userId: string): MembershipState | undefined;
  /** The conversation's kind and newest message as of this transaction. */
  head(conversationId: string): ConversationHead | undefined;
  /** The members, current and former. */
  memberIds(conversationId: string): string[];
  /** The users who blocked `userId`. */
  blockersOf(userId: string): string[];
  /** The message stored under `(senderId, id)`, in any conversation. */
  findMessage(senderId: string, id: string): Message | undefined;
  insertMessage(message: Message, withheld: boolean): void;
  /** Appends the event of message `seq` to the stream of every current member. */
  appendMessageEventToMembers(conversationId: string, seq: number): Delivery[];
  /** Appends the event of message `seq` to one user's stream. */
  appendMessageEventTo(userId: string, conversationId: string, seq: number): Delivery;
}

/**
 * `MessageStore.append`, for any adapter to run inside its transaction: the
 * sender must be a current member; a retry answers with the stored message;
 * otherwise the message takes the next seq, goes into every current member's
 * stream (the sender's only, when withheld) and queues its pushes. The seq is
 * the head read in this same transaction: two appends can never take one seq.
 */
export function appendMessage(transaction: AppendTransaction, draft: MessageDraft, pushCoalesceMs: number): AppendResult {
  requireMembership(transaction.membership(draft.conversationId, draft.senderId));
  const stored = transaction.findMessage(draft.senderId, draft.id);
  if (stored !== undefined) return { message: retriedMessage(stored, draft), deliveries: [], duplicate: true };

  const head = transaction.head(draft.conversationId);
  assert(head !== undefined, `conversation ${draft.conversationId} of a member exists`);
  // Spelled out: in Node 20's V8, a spread followed by a new key (`{ ...draft, seq }`) gives each object a map
  // of its own once optimised, and a logged message lives past two scavenges, its map with it (issue 13).
  const message: Message = {
    conversationId: draft.conversationId,
    seq: head.lastSeq + 1,
    id: draft.id,
    senderId: draft.senderId,
    deviceId: draft.deviceId,
    at: messageTime(draft.at, head.lastAt),
    bodyJson: draft.bodyJson,
  };
  // Nearly every sender is blocked by no one: the members are read only when someone blocked them.
  const blockers = head.kind === 'direct' ? transaction.blockersOf(draft.senderId) : [];
  const withheld = blockers.length > 0 && isWithheld(head.kind, transaction.memberIds(draft.conversationId), draft.senderId, blockers);
  transaction.insertMessage(message, withheld);
  const deliveries = withheld
    ? [transaction.appendMessageEventTo(draft.senderId, draft.conversationId, message.seq)]
    : transaction.appendMessageEventToMembers(draft.conversationId, message.seq);
  assert(
    deliveries.some((delivery) => delivery.userId === draft.senderId),
    'the sender, a current member, gets the message event',
  );
  queuePushJobs(transaction, message, deliveries, pushCoalesceMs);
  return { message, deliveries, duplicate: false };
}
