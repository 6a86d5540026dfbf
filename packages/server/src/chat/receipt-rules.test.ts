import { describe, expect, it } from 'vitest';
import { ackedPosAfter, deliveredCoverage, newlyRead, type CoveredSender } from './receipt-rules.js';

describe('ackedPosAfter', () => {
  it('moves a device forward to the acked pos', () => {
    expect(ackedPosAfter({ userId: 'u_bob', ackedPos: 3, lastPos: 10 }, 7)).toBe(7);
  });

  it('never moves a device back', () => {
    expect(ackedPosAfter({ userId: 'u_bob', ackedPos: 5, lastPos: 10 }, 2)).toBe(5);
  });

  it("never moves a device past the end of its user's stream", () => {
    expect(ackedPosAfter({ userId: 'u_bob', ackedPos: 5, lastPos: 10 }, 99)).toBe(10);
  });
});

describe('deliveredCoverage', () => {
  const row = (conversationId: string, senderId: string, seq: number, leftAtSeq: number | null = null): CoveredSender => ({
    conversationId,
    senderId,
    seq,
    conversationKind: 'group',
    deliveredSeq: conversationId === 'c_1' ? 2 : 0,
    senderMembership: { leftAtSeq },
  });

  it("makes no receipt for the reader's own messages", () => {
    expect(deliveredCoverage('u_bob', [row('c_1', 'u_bob', 9)], 0)).toBeUndefined();
  });

  it('makes no receipt for messages at or below the delivered seq', () => {
    expect(deliveredCoverage('u_bob', [row('c_1', 'u_alice', 2)], 0)).toBeUndefined();
  });

  it('names each sender of the conversation once, with their newest covered seq, and the highest newly covered seq there', () => {
    const rows = [row('c_1', 'u_alice', 5), row('c_2', 'u_alice', 1), row('c_1', 'u_carol', 7)];
    expect(deliveredCoverage('u_bob', rows, 0)).toEqual({
      seq: 7,
      senders: [
        { senderId: 'u_alice', newestSeq: 5 },
        { senderId: 'u_carol', newestSeq: 7 },
      ],
    });
    expect(deliveredCoverage('u_bob', rows, 1)).toEqual({ seq: 1, senders: [{ senderId: 'u_alice', newestSeq: 1 }] });
  });

  it('covers the messages of a sender who left, but names only the senders still members', () => {
    const neverMember = { ...row('c_1', 'u_dave', 4), senderMembership: undefined };
    const rows = [row('c_1', 'u_alice', 5), row('c_1', 'u_carol', 7, 6), neverMember];
    expect(deliveredCoverage('u_bob', rows, 0)).toEqual({ seq: 7, senders: [{ senderId: 'u_alice', newestSeq: 5 }] });
  });
});

describe('newlyRead', () => {
  it('caps a read at the newest message', () => {
    expect(newlyRead({ readSeq: 1, joinedAfterSeq: 0 }, 4, 1_000)).toEqual({ low: 1, high: 4 });
  });

  it('covers nothing up to the join: those seqs were never the member’s to read', () => {
    expect(newlyRead({ readSeq: 0, joinedAfterSeq: 6 }, 8, 8)).toEqual({ low: 6, high: 8 });
    expect(newlyRead({ readSeq: 0, joinedAfterSeq: 6 }, 8, 5)).toBeUndefined();
  });

  it('never moves the read seq back, so a lower seq covers nothing', () => {
    expect(newlyRead({ readSeq: 3, joinedAfterSeq: 0 }, 8, 2)).toBeUndefined();
    expect(newlyRead({ readSeq: 3, joinedAfterSeq: 0 }, 8, 3)).toBeUndefined();
  });
});
