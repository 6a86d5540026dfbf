import { describe, expect, it } from 'vitest';
import { ackedPosAfter, deliveredCoverage, newlyRead } from './receipt-rules.js';

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
  const delivered = new Map([['c_1', 2]]);
  const deliveredSeq = (conversationId: string) => delivered.get(conversationId) ?? 0;

  it("makes no receipt for the reader's own messages", () => {
    expect(deliveredCoverage('u_bob', [{ conversationId: 'c_1', senderId: 'u_bob', seq: 9 }], deliveredSeq).size).toBe(0);
  });

  it('makes no receipt for messages at or below the delivered seq', () => {
    expect(deliveredCoverage('u_bob', [{ conversationId: 'c_1', senderId: 'u_alice', seq: 2 }], deliveredSeq).size).toBe(0);
  });

  it('names each sender once, with their newest covered seq, and the highest newly covered seq of the conversation', () => {
    const coverage = deliveredCoverage(
      'u_bob',
      [
        { conversationId: 'c_1', senderId: 'u_alice', seq: 5 },
        { conversationId: 'c_1', senderId: 'u_carol', seq: 7 },
        { conversationId: 'c_2', senderId: 'u_alice', seq: 1 },
      ],
      deliveredSeq,
    );
    expect(coverage).toEqual(
      new Map([
        [
          'c_1',
          {
            seq: 7,
            senders: [
              { senderId: 'u_alice', newestSeq: 5 },
              { senderId: 'u_carol', newestSeq: 7 },
            ],
          },
        ],
        ['c_2', { seq: 1, senders: [{ senderId: 'u_alice', newestSeq: 1 }] }],
      ]),
    );
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
