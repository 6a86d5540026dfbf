import { describe, expect, it } from 'vitest';
import { coveredSeq, othersMinimum, owedReceipts, type MemberProgress } from './group-receipt-rule.js';

describe('othersMinimum', () => {
  const progress: MemberProgress[] = [
    { userId: 'u_carol', seq: 2 },
    { userId: 'u_alice', seq: 5 },
    { userId: 'u_bob', seq: 9 },
  ];

  it('is the lowest progress among the members other than the sender', () => {
    expect(othersMinimum(progress, 'u_bob')).toBe(2);
  });

  it('leaves the sender out of their own minimum, so a slow sender holds back only the others', () => {
    expect(othersMinimum(progress, 'u_carol')).toBe(5);
  });

  it('answers from the two lowest members as from all of them', () => {
    const lowestTwo = progress.slice(0, 2);
    for (const sender of ['u_alice', 'u_bob', 'u_carol', 'u_dave']) expect(othersMinimum(lowestTwo, sender)).toBe(othersMinimum(progress, sender));
  });

  it('is undefined for a sender alone in the group', () => {
    expect(othersMinimum([{ userId: 'u_alice', seq: 4 }], 'u_alice')).toBeUndefined();
  });
});

describe('coveredSeq', () => {
  const unreachable = () => {
    throw new Error('no lookup expected');
  };

  it("is the sender's newest message when the minimum has passed it, with no lookup", () => {
    expect(coveredSeq(9, 0, { senderId: 'u_bob', newestSeq: 7 }, unreachable)).toBe(7);
  });

  it("looks up the sender's newest message at or below a minimum that stops before their newest", () => {
    const asked: [number, number][] = [];
    const found = coveredSeq(6, 2, { senderId: 'u_bob', newestSeq: 7 }, (low, high) => {
      asked.push([low, high]);
      return 4;
    });
    expect(found).toBe(4);
    expect(asked).toEqual([[2, 6]]);
  });

  it('covers nothing new at or below what was announced', () => {
    expect(coveredSeq(5, 5, { senderId: 'u_bob', newestSeq: 3 }, unreachable)).toBeUndefined();
    expect(coveredSeq(9, 7, { senderId: 'u_bob', newestSeq: 7 }, unreachable)).toBeUndefined();
    expect(coveredSeq(6, 2, { senderId: 'u_bob', newestSeq: 7 }, () => undefined)).toBeUndefined();
  });
});

describe('owedReceipts', () => {
  it('owes a receipt per status that moved past what was announced', () => {
    expect(owedReceipts({ delivered: 2, read: 1 }, { delivered: 4 })).toEqual([{ status: 'delivered', seq: 4 }]);
    expect(owedReceipts({ delivered: 4, read: 1 }, { read: 3 })).toEqual([{ status: 'read', seq: 3 }]);
  });

  it('sends read alone when it covers as much as delivered: read by all is delivered to all', () => {
    expect(owedReceipts({ delivered: 0, read: 0 }, { delivered: 5, read: 5 })).toEqual([{ status: 'read', seq: 5 }]);
    expect(owedReceipts({ delivered: 0, read: 6 }, { delivered: 5 })).toEqual([]);
  });

  it('sends delivered too when it goes past the read', () => {
    expect(owedReceipts({ delivered: 0, read: 0 }, { delivered: 8, read: 5 })).toEqual([
      { status: 'delivered', seq: 8 },
      { status: 'read', seq: 5 },
    ]);
  });

  it('owes nothing that would go backwards or repeat', () => {
    expect(owedReceipts({ delivered: 8, read: 5 }, { delivered: 8, read: 5 })).toEqual([]);
    expect(owedReceipts({ delivered: 8, read: 5 }, { delivered: 3, read: 2 })).toEqual([]);
  });
});
