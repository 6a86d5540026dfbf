/**
 * `MembershipStore` for any adapter to run inside its transaction: each
 * change checks the caller's rights on the current state (never a stale
 * read), makes the change, and appends one `conversation` event to the
 * stream of every member concerned.
 */
import {
  initialMembers,
  requireAnotherAdmin,
  requireCurrentMember,
  requireGroupRight,
  requireKnownUsers,
  requireRoomFor,
  successorAdmin,
} from './group-rules.js';
import { announceAfterLeaving, type GroupReceiptTransaction } from './group-receipt-rule.js';
import type { Appended, Conversation, ConversationData, Member, MemberRole } from './model.js';
import type { NewGroup } from './store-port.js';

/** How users join: as admin or member, when, and seeing messages after which seq. */
export interface Joining {
  adminId: string | null;
  joinedAt: number;
  joinedAfterSeq: number;
}

/** The rows membership changes read and write. */
export interface MembershipTransaction {
  conversation(conversationId: string): Conversation | undefined;
  member(conversationId: string, userId: string): Member | undefined;
  /** The current members, in any order. */
  currentMembers(conversationId: string): Member[];
  /** How many of these distinct ids name a user. */
  countKnownUsers(userIds: readonly string[]): number;
  insertGroup(group: NewGroup): Conversation;
  /** Adds the users as members; a former member comes back as a new one (receipts kept). */
  addMemberRows(conversationId: string, userIds: readonly string[], joining: Joining): void;
  /** Marks the member as gone after `seq`; a former member keeps no role. */
  markLeft(conversationId: string, userId: string, seq: number): void;
  setRole(conversationId: string, userId: string, role: MemberRole): void;
  setName(conversationId: string, name: string): void;
  /** Appends the event to the stream of every current member. */
  appendConversationEventToMembers(conversationId: string, data: ConversationData): Appended[];
}

export function createGroup(
  transaction: MembershipTransaction,
  group: NewGroup,
  maxGroupSize: number,
): { conversation: Conversation; appended: Appended[] } {
  const members = initialMembers(group.createdBy, group.memberIds, maxGroupSize);
  requireKnownUsers(transaction.countKnownUsers(members), members.length);
  const conversation = transaction.insertGroup(group);
  transaction.addMemberRows(group.id, members, { adminId: group.createdBy, joinedAt: group.createdAt, joinedAfterSeq: 0 });
  const data: ConversationData = { change: 'created', conversationKind: 'group', members, name: group.name, by: group.createdBy };
  return { conversation, appended: transaction.appendConversationEventToMembers(group.id, data) };
}

/** Already current members are skipped; none left is a no-op. The added see messages from now on. */
export function addMembers(
  transaction: MembershipTransaction,
  conversationId: string,
  by: string,
  userIds: readonly string[],
  at: number,
  maxGroupSize: number,
): Appended[] {
  const conversation = requireGroupRight(transaction.conversation(conversationId), transaction.member(conversationId, by), 'admin');
  const requested = [...new Set(userIds)];
  requireKnownUsers(transaction.countKnownUsers(requested), requested.length);
  const current = transaction.currentMembers(conversationId);
  const currentIds = new Set(current.map((member) => member.userId));
  const added = requested.filter((userId) => !currentIds.has(userId));
  if (added.length === 0) return [];
  requireRoomFor(current.length, added.length, maxGroupSize);
  transaction.addMemberRows(conversationId, added, { adminId: null, joinedAt: at, joinedAfterSeq: conversation.lastSeq });
  return tellMembers(transaction, conversationId, 'member_added', added, by);
}

/**
 * Leaving (`by === userId`) or removal by an admin. The removed member is
 * told with the others, before the row is marked: the event is the last
 * thing their stream gets from this conversation. When the last admin went
 * and members remain, the one who joined first becomes admin. The senders
 * whose messages only the one who went had not delivered or read get their
 * aggregate receipts now.
 */
export function removeMember(
  transaction: MembershipTransaction,
  receipts: GroupReceiptTransaction,
  conversationId: string,
  by: string,
  userId: string,
): Appended[] {
  const leaving = by === userId;
  const caller = transaction.member(conversationId, by);
  const conversation = requireGroupRight(transaction.conversation(conversationId), caller, leaving ? 'member' : 'admin');
  const leaver = leaving ? requireCurrentMember(caller) : requireCurrentMember(transaction.member(conversationId, userId));
  const appended = tellMembers(transaction, conversationId, leaving ? 'member_left' : 'member_removed', [userId], by);
  transaction.markLeft(conversationId, userId, conversation.lastSeq);
  const successor = successorAdmin(transaction.currentMembers(conversationId));
  if (successor !== undefined) {
    transaction.setRole(conversationId, successor, 'admin');
    appended.push(...tellMembers(transaction, conversationId, 'admin_granted', [successor], by));
  }
  return [...appended, ...announceAfterLeaving(receipts, conversationId, leaver, conversation.lastSeq)];
}

export function renameGroup(transaction: MembershipTransaction, conversationId: string, by: string, name: string): Appended[] {
  requireGroupRight(transaction.conversation(conversationId), transaction.member(conversationId, by), 'admin');
  transaction.setName(conversationId, name);
  return tellMembers(transaction, conversationId, 'renamed', [], by, name);
}

/** No change, no event. Revoking the last admin is refused. */
export function setAdmin(transaction: MembershipTransaction, conversationId: string, by: string, userId: string, admin: boolean): Appended[] {
  requireGroupRight(transaction.conversation(conversationId), transaction.member(conversationId, by), 'admin');
  const target = requireCurrentMember(transaction.member(conversationId, userId));
  if ((target.role === 'admin') === admin) return [];
  if (!admin) requireAnotherAdmin(transaction.currentMembers(conversationId));
  transaction.setRole(conversationId, userId, admin ? 'admin' : 'member');
  return tellMembers(transaction, conversationId, admin ? 'admin_granted' : 'admin_revoked', [userId], by);
}

/** `name` only for a rename. */
function tellMembers(
  transaction: MembershipTransaction,
  conversationId: string,
  change: ConversationData['change'],
  members: string[],
  by: string,
  name = '',
): Appended[] {
  return transaction.appendConversationEventToMembers(conversationId, { change, conversationKind: 'group', members, name, by });
}
