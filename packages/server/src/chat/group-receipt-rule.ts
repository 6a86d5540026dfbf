/**
 * Group receipts are aggregates (protocol E2), for any adapter to run inside
 * its transaction. A sender hears once every other current member has
 * delivered (read) their messages, not once per member: in a group of 100,
 * one receipt per message instead of 99.
 *
 * For sender S the aggregate is the lowest progress among the current
 * members other than S. A member's progress is their delivered (read) seq, or
 * the seq they joined after where that is higher: earlier messages were never
 * theirs to see. A delivered seq only counts messages from others, and S is
 * left out of their own minimum, so no member's own messages hold it back.
 *
 * The receipt carries the seq of the newest of S's messages so covered:
 * "every other current member has delivered (read) every message of yours up
 * to here". What was announced is kept per member (`AnnouncedSeqs`), so each
 * advance is told once and never goes back, whichever write made it: an ack,
 * a read, or a member leaving (a slow member who leaves lets it rise).
 */
import type { ReceiptStatus } from '@parley/protocol';
import type { Appended, Member, ReceiptData } from './model.js';

/** How far one current member has got, for one status. */
export interface MemberProgress {
  userId: string;
  /** The member's delivered (read) seq, or the seq they joined after where higher. */
  seq: number;
}

/** The newest seq of a member's own messages already announced to them as delivered to, and as read by, all. */
export interface AnnouncedSeqs {
  delivered: number;
  read: number;
}

/** A sender whose messages a write may have newly covered. */
export interface CoverCandidate {
  senderId: string;
  /**
   * The sender's newest message in the range the write covered. The range
   * ends at or above the writer's new progress (or at the newest seq), so the
   * sender has no message between this seq and where the minimum can be now.
   */
  newestSeq: number;
}

/** The rows aggregate receipts read and write. */
export interface GroupReceiptTransaction {
  /** The current members with the lowest progress for `status`, lowest first, at most `limit`. */
  lowestProgress(conversationId: string, status: ReceiptStatus, limit: number): MemberProgress[];
  /** What a current member was told about their own messages; undefined for anyone else. */
  announced(conversationId: string, userId: string): AnnouncedSeqs | undefined;
  setAnnounced(conversationId: string, userId: string, status: ReceiptStatus, seq: number): void;
  /** The seq of the sender's newest message in `(low, high]`, if any. */
  newestSeqOf(conversationId: string, senderId: string, low: number, high: number): number | undefined;
  /** The distinct senders of the messages with seq in `(low, high]`, each with their newest seq there, in a stable order. */
  sendersBetween(conversationId: string, low: number, high: number): CoverCandidate[];
  appendReceipt(userId: string, conversationId: string, receipt: ReceiptData): Appended;
}

/**
 * The aggregate for `senderId`: the lowest progress among the members other
 * than the sender. Undefined when there is no other member. Given only the
 * two lowest members of a group it answers as it would given all of them.
 */
export function othersMinimum(progress: readonly MemberProgress[], senderId: string): number | undefined {
  let minimum: number | undefined;
  for (const member of progress) {
    if (member.userId !== senderId && (minimum === undefined || member.seq < minimum)) minimum = member.seq;
  }
  return minimum;
}

/**
 * The seq of the sender's newest message at or below `minimum`, when it is
 * above what was announced; undefined when nothing new is covered.
 */
export function coveredSeq(
  minimum: number,
  announcedSeq: number,
  candidate: CoverCandidate,
  newestSeqOf: (low: number, high: number) => number | undefined,
): number | undefined {
  if (minimum <= announcedSeq) return undefined;
  if (minimum >= candidate.newestSeq) return candidate.newestSeq > announcedSeq ? candidate.newestSeq : undefined;
  return newestSeqOf(announcedSeq, minimum);
}

/**
 * The receipts a sender is owed, given what they were told and the newest
 * of their messages now covered per status. A read by all stands for
 * delivered to all too, so a delivered receipt goes only past every read one.
 */
export function owedReceipts(announced: AnnouncedSeqs, covered: Partial<Record<ReceiptStatus, number>>): { status: ReceiptStatus; seq: number }[] {
  const read = covered.read !== undefined && covered.read > announced.read ? covered.read : undefined;
  const deliveredFloor = Math.max(announced.delivered, announced.read, read ?? 0);
  const delivered = covered.delivered !== undefined && covered.delivered > deliveredFloor ? covered.delivered : undefined;
  return [
    ...(delivered === undefined ? [] : [{ status: 'delivered' as const, seq: delivered }]),
    ...(read === undefined ? [] : [{ status: 'read' as const, seq: read }]),
  ];
}

/**
 * Appends the aggregate receipts a write in a group has made owed, for the
 * statuses whose progress it moved, to the candidates still members. Call it
 * after the write's own rows are updated: the minimum is read from them.
 */
export function announceGroupReceipts(
  transaction: GroupReceiptTransaction,
  conversationId: string,
  statuses: readonly ReceiptStatus[],
  candidates: readonly CoverCandidate[],
): Appended[] {
  if (candidates.length === 0) return [];
  // The two lowest are enough: a sender's minimum skips only the sender.
  const lowest = statuses.map((status) => ({ status, progress: transaction.lowestProgress(conversationId, status, 2) }));
  const appended: Appended[] = [];
  for (const candidate of candidates) {
    const announced = transaction.announced(conversationId, candidate.senderId);
    // A former member gets no more events.
    if (announced === undefined) continue;
    const covered: Partial<Record<ReceiptStatus, number>> = {};
    for (const { status, progress } of lowest) {
      const minimum = othersMinimum(progress, candidate.senderId);
      if (minimum === undefined) continue;
      const seq = coveredSeq(minimum, announced[status], candidate, (low, high) =>
        transaction.newestSeqOf(conversationId, candidate.senderId, low, high),
      );
      if (seq !== undefined) covered[status] = seq;
    }
    for (const { status, seq } of owedReceipts(announced, covered)) {
      transaction.setAnnounced(conversationId, candidate.senderId, status, seq);
      appended.push(transaction.appendReceipt(candidate.senderId, conversationId, { user: null, status, seq }));
    }
  }
  return appended;
}

/**
 * A member left or was removed: the minimum may rise for the messages they
 * had not delivered or read yet. Decided here, in the removal's transaction,
 * not at the next ack, which might never come.
 */
export function announceAfterLeaving(transaction: GroupReceiptTransaction, conversationId: string, leaver: Member, lastSeq: number): Appended[] {
  // Read never passes delivered, so the messages above the read seq hold both.
  const low = Math.max(leaver.readSeq, leaver.joinedAfterSeq);
  const candidates = transaction.sendersBetween(conversationId, low, lastSeq).filter((candidate) => candidate.senderId !== leaver.userId);
  return announceGroupReceipts(transaction, conversationId, ['delivered', 'read'], candidates);
}
