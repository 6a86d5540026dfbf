/**
 * Delivered and read receipts (PROTOCOL §4, E2), for any adapter to run
 * inside its transaction. Both are cumulative per (user, conversation) and
 * only rise, so each message causes at most one receipt of each status per
 * reader however many devices ack it. A receipt goes to each sender once per
 * write, carrying the highest seq: "everything up to here", not one per
 * message. In a direct conversation it names the reader; in a group the
 * senders get aggregates instead (group-receipt-rule.ts), and the per-member
 * moves are returned for live detail only. Senders who have left are not
 * told: a former member gets no more events.
 */
import type { ConversationKind } from '@parley/protocol';
import { announceGroupReceipts, type CoverCandidate, type GroupReceiptTransaction } from './group-receipt-rule.js';
import { requireMembership, type MembershipState } from './membership-rule.js';
import type { Member, ReceiptMove, ReceiptsMade } from './model.js';

/** The device's place in its user's stream. */
export interface AckState {
  userId: string;
  ackedPos: number;
  /** The newest pos of the user's stream. */
  lastPos: number;
}

/** Per conversation and sender, the newest seq among some message events. */
export interface SenderSeq {
  conversationId: string;
  senderId: string;
  seq: number;
}

/** A `SenderSeq` of the reader's stream, with the memberships a delivered receipt depends on. */
export interface CoveredSender extends SenderSeq {
  conversationKind: ConversationKind;
  /** The reader's delivered seq in the conversation. */
  deliveredSeq: number;
  /** The sender's membership; undefined if they never were a member. */
  senderMembership: MembershipState | undefined;
}

/** The rows receipts read and write. */
export interface ReceiptTransaction extends GroupReceiptTransaction {
  ackState(deviceId: string): AckState | undefined;
  /** Sets the device's acked pos and records its activity at `at` (never moved back). */
  setAckedPos(deviceId: string, pos: number, at: number): void;
  /** Per (conversation, sender), the newest seq of the message events at pos in `(fromPos, toPos]` of the user's stream. */
  newestBySender(userId: string, fromPos: number, toPos: number): CoveredSender[];
  member(conversationId: string, userId: string): Member | undefined;
  conversationKind(conversationId: string): ConversationKind;
  lastSeq(conversationId: string): number;
  setDeliveredSeq(conversationId: string, userId: string, seq: number): void;
  /** Sets the read seq, and the delivered seq to it where it is lower. */
  setReadSeq(conversationId: string, userId: string, seq: number): void;
}

function nothingMade(): ReceiptsMade {
  return { appended: [], moves: [] };
}

/**
 * The pos an ack moves a device to: forward only, and never past the
 * stream's end (a device that acked past it would silently skip the events
 * still to come).
 */
export function ackedPosAfter(state: AckState, requestedPos: number): number {
  return Math.max(state.ackedPos, Math.min(requestedPos, state.lastPos));
}

/**
 * What an ack newly covers in one conversation: the reader's new delivered
 * seq there, and the senders to tell, those of the covered messages who are
 * still members (a former member gets no more events).
 */
export interface Coverage {
  seq: number;
  senders: CoverCandidate[];
}

/**
 * What an ack newly covers in the conversation of `rows[first]`: the messages
 * from others past the reader's delivered seq there, among that row and the
 * rows after it of the same conversation, each current sender with their
 * newest seq. Undefined: nothing.
 */
export function deliveredCoverage(readerId: string, rows: readonly CoveredSender[], first: number): Coverage | undefined {
  const { conversationId, deliveredSeq } = rows[first] as CoveredSender;
  let coverage: Coverage | undefined;
  for (let index = first; index < rows.length; index += 1) {
    const { conversationId: rowConversationId, senderId, seq, senderMembership } = rows[index] as CoveredSender;
    if (rowConversationId !== conversationId || senderId === readerId || seq <= deliveredSeq) continue;
    if (coverage === undefined) coverage = { seq, senders: [] };
    coverage.seq = Math.max(coverage.seq, seq);
    if (isCurrentMember(senderMembership)) coverage.senders.push({ senderId, newestSeq: seq });
  }
  return coverage;
}

/**
 * `StreamStore.ackStream`: the delivered seq is checked and raised by the
 * write that appends the receipts, so two devices acking at once cannot both
 * send them. Unknown device (revoked meanwhile): nothing.
 *
 * Every ack runs this, so it allocates little: the rows come a few at a
 * time, and are walked in place instead of indexed.
 */
export function ackStream(transaction: ReceiptTransaction, deviceId: string, pos: number, at: number): ReceiptsMade {
  const state = transaction.ackState(deviceId);
  if (state === undefined) return nothingMade();
  const toPos = ackedPosAfter(state, pos);
  transaction.setAckedPos(deviceId, toPos, at);
  if (toPos === state.ackedPos) return nothingMade();
  const { userId } = state;
  const rows = transaction.newestBySender(userId, state.ackedPos, toPos);
  const made = nothingMade();
  for (let first = 0; first < rows.length; first += 1) {
    const row = rows[first] as CoveredSender;
    if (!isFirstOfConversation(rows, first)) continue;
    const coverage = deliveredCoverage(userId, rows, first);
    if (coverage === undefined) continue;
    const { conversationId } = row;
    transaction.setDeliveredSeq(conversationId, userId, coverage.seq);
    const { senders } = coverage;
    if (row.conversationKind === 'group') {
      for (const appended of announceGroupReceipts(transaction, conversationId, ['delivered'], senders)) made.appended.push(appended);
      if (senders.length > 0) made.moves.push(moveOf(conversationId, userId, 'delivered', coverage.seq, senders));
      continue;
    }
    for (const { senderId } of senders) {
      made.appended.push(transaction.appendReceipt(senderId, conversationId, { user: userId, status: 'delivered', seq: coverage.seq }));
    }
  }
  return made;
}

/** Whether no row before `index` is of its conversation: the rows of one conversation are covered once, where the first of them is. */
function isFirstOfConversation(rows: readonly CoveredSender[], index: number): boolean {
  const { conversationId } = rows[index] as CoveredSender;
  for (let before = 0; before < index; before += 1) if ((rows[before] as CoveredSender).conversationId === conversationId) return false;
  return true;
}

/**
 * The seqs a read up to `seq` newly covers, `(low, high]`: capped at the
 * newest message, and above both the previous read seq and the join (seqs up
 * to the join were never this member's to read). Undefined: nothing new.
 */
export function newlyRead(
  member: Pick<Member, 'readSeq' | 'joinedAfterSeq'>,
  lastSeq: number,
  seq: number,
): { low: number; high: number } | undefined {
  const high = Math.min(seq, lastSeq);
  const low = Math.max(member.readSeq, member.joinedAfterSeq);
  return high > low ? { low, high } : undefined;
}

/**
 * `StreamStore.markRead`: one `read` receipt to the reader's own stream and,
 * in a direct conversation, one to each sender (still a member) of a newly
 * covered message; in a group, the aggregates it makes owed. The delivered
 * receipts that reading implies are not sent on their own: the read receipt
 * covers them (in a group, a delivered aggregate goes only past the read one).
 */
export function markRead(transaction: ReceiptTransaction, conversationId: string, userId: string, seq: number): ReceiptsMade {
  const member = requireMembership(transaction.member(conversationId, userId));
  const range = newlyRead(member, transaction.lastSeq(conversationId), seq);
  if (range === undefined) return nothingMade();
  transaction.setReadSeq(conversationId, userId, range.high);
  const senders = transaction
    .sendersBetween(conversationId, range.low, range.high)
    .filter(({ senderId }) => senderId !== userId && isCurrentMember(transaction.member(conversationId, senderId)));
  const own = transaction.appendReceipt(userId, conversationId, { user: userId, status: 'read', seq: range.high });
  if (transaction.conversationKind(conversationId) === 'group') {
    // Delivered moved with read only where it was lower.
    const statuses = member.deliveredSeq < range.high ? (['delivered', 'read'] as const) : (['read'] as const);
    const appended = announceGroupReceipts(transaction, conversationId, statuses, senders);
    return { appended: [...appended, own], moves: senders.length === 0 ? [] : [moveOf(conversationId, userId, 'read', range.high, senders)] };
  }
  const appended = senders.map(({ senderId }) => transaction.appendReceipt(senderId, conversationId, { user: userId, status: 'read', seq: range.high }));
  return { appended: [...appended, own], moves: [] };
}

function moveOf(conversationId: string, userId: string, status: ReceiptMove['status'], seq: number, senders: readonly CoverCandidate[]): ReceiptMove {
  return { conversationId, userId, status, seq, senders: senders.map(({ senderId }) => senderId) };
}

function isCurrentMember(member: MembershipState | undefined): boolean {
  return member !== undefined && member.leftAtSeq === null;
}
