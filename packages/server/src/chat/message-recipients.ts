/**
 * Who a message was for and how far it got with each (`GET
 * /v1/conversations/:id/messages/:seq/receipts`): the members who could see
 * it, joined before it and not removed before it, its sender left out. A
 * member's delivered and read seqs are cumulative, so one comparison each
 * says it. A member who left and came back is counted by their latest join.
 */
import type { Member, Message } from './model.js';

export interface RecipientReceipt {
  userId: string;
  delivered: boolean;
  read: boolean;
}

export function messageRecipients(members: readonly Member[], message: Pick<Message, 'seq' | 'senderId'>): RecipientReceipt[] {
  const { seq, senderId } = message;
  return members
    .filter((member) => member.userId !== senderId && member.joinedAfterSeq < seq && (member.leftAtSeq === null || member.leftAtSeq >= seq))
    .map((member) => ({ userId: member.userId, delivered: member.deliveredSeq >= seq, read: member.readSeq >= seq }))
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}
