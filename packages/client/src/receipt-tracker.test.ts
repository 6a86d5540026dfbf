import type { ConversationEvent, ReceiptEvent } from '@parley/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { ReceiptTracker } from './receipt-tracker.js';

const group = 'c_group';
let pos = 0;

function receipt(user: string, status: 'delivered' | 'read', seq: number, conversation = group): ReceiptEvent {
  return { type: 'receipt', pos: ++pos, conversation, user, status, seq };
}

function change(change: ConversationEvent['change'], members: string[]): ConversationEvent {
  return { type: 'conversation', pos: ++pos, conversation: group, change, members, by: 'u_alice' };
}

describe('ReceiptTracker', () => {
  let tracker: ReceiptTracker;
  beforeEach(() => {
    tracker = new ReceiptTracker();
    tracker.setUser('u_alice');
    tracker.conversationChange(change('created', ['u_alice', 'u_bob', 'u_carol']));
  });

  it('reports an own message as sent when it is first seen, and ignores messages of others', () => {
    expect(tracker.message(group, 1, 'u_bob')).toEqual([]);
    expect(tracker.message(group, 2, 'u_alice')).toEqual([
      { conversation: group, seq: 2, status: 'sent', deliveredTo: [], readBy: [] },
    ]);
    expect(tracker.message(group, 2, 'u_alice')).toEqual([]);
  });

  it('moves a group message to delivered only once every member has it, naming who has it on the way', () => {
    tracker.message(group, 1, 'u_alice');
    expect(tracker.receipt(receipt('u_bob', 'delivered', 1))).toEqual([
      { conversation: group, seq: 1, status: 'sent', deliveredTo: ['u_bob'], readBy: [] },
    ]);
    expect(tracker.receipt(receipt('u_carol', 'delivered', 1))).toMatchObject([{ status: 'delivered', deliveredTo: ['u_bob', 'u_carol'] }]);
    expect(tracker.receipt(receipt('u_carol', 'read', 1))).toMatchObject([{ status: 'delivered', readBy: ['u_carol'] }]);
    expect(tracker.receipt(receipt('u_bob', 'read', 1))).toMatchObject([{ status: 'read', readBy: ['u_bob', 'u_carol'] }]);
  });

  it('applies a cumulative receipt to every own message up to its seq, and to none after it', () => {
    tracker.message(group, 1, 'u_alice');
    tracker.message(group, 2, 'u_bob');
    tracker.message(group, 3, 'u_alice');
    tracker.message(group, 4, 'u_alice');
    const changes = tracker.receipt(receipt('u_bob', 'read', 3));
    expect(changes.map((entry) => entry.seq)).toEqual([1, 3]);
    expect(tracker.receiptsOf(group, 4)).toMatchObject({ status: 'sent', deliveredTo: [], readBy: [] });
  });

  it('never moves a status back on a lower receipt, and reports nothing for it', () => {
    tracker.message(group, 5, 'u_alice');
    tracker.receipt(receipt('u_bob', 'read', 5));
    tracker.receipt(receipt('u_carol', 'read', 5));
    expect(tracker.receiptsOf(group, 5).status).toBe('read');
    expect(tracker.receipt(receipt('u_bob', 'read', 3))).toEqual([]);
    expect(tracker.receipt(receipt('u_bob', 'delivered', 4))).toEqual([]);
    expect(tracker.receiptsOf(group, 5)).toMatchObject({ status: 'read', readBy: ['u_bob', 'u_carol'] });
  });

  it('counts a read as a delivery too', () => {
    tracker.message(group, 1, 'u_alice');
    tracker.receipt(receipt('u_bob', 'read', 1));
    expect(tracker.receiptsOf(group, 1)).toMatchObject({ deliveredTo: ['u_bob'], readBy: ['u_bob'] });
  });

  it('ignores the user’s own read receipt, which only syncs read state across devices', () => {
    tracker.message(group, 1, 'u_alice');
    expect(tracker.receipt(receipt('u_alice', 'read', 1))).toEqual([]);
    expect(tracker.receiptsOf(group, 1)).toMatchObject({ deliveredTo: [], readBy: [] });
  });

  it('does not wait for a member who left, nor for one who joined after the message', () => {
    tracker.message(group, 1, 'u_alice');
    tracker.receipt(receipt('u_bob', 'delivered', 1));
    expect(tracker.conversationChange(change('member_left', ['u_carol']))).toMatchObject([{ seq: 1, status: 'delivered' }]);
    tracker.conversationChange(change('member_added', ['u_dave']));
    expect(tracker.receiptsOf(group, 1).status).toBe('delivered');
    tracker.message(group, 2, 'u_alice');
    tracker.receipt(receipt('u_bob', 'delivered', 2));
    expect(tracker.receiptsOf(group, 2).status).toBe('sent');
  });

  it('says sent while the members are unknown, then takes members and progress from a snapshot', () => {
    const direct = 'c_direct';
    tracker.message(direct, 1, 'u_alice');
    tracker.message(direct, 2, 'u_alice');
    tracker.receipt(receipt('u_bob', 'delivered', 2, direct));
    expect(tracker.receiptsOf(direct, 2)).toMatchObject({ status: 'sent', deliveredTo: ['u_bob'] });
    const changes = tracker.seed({
      id: direct,
      type: 'direct',
      name: 'Bob',
      createdAt: 1,
      lastSeq: 2,
      members: [
        { user: 'u_alice', role: 'member', deliveredSeq: 0, readSeq: 2 },
        { user: 'u_bob', role: 'member', deliveredSeq: 1, readSeq: 1 },
      ],
    });
    expect(changes).toMatchObject([
      { seq: 1, status: 'read' },
      { seq: 2, status: 'delivered' },
    ]);
  });

  it('keeps what live receipts said when an older snapshot arrives after them', () => {
    tracker.message(group, 3, 'u_alice');
    tracker.receipt(receipt('u_bob', 'read', 3));
    tracker.receipt(receipt('u_carol', 'read', 3));
    const changes = tracker.seed({
      id: group,
      type: 'group',
      name: 'Trio',
      createdAt: 1,
      lastSeq: 3,
      members: ['u_alice', 'u_bob', 'u_carol'].map((user) => ({ user, role: 'member' as const, deliveredSeq: 1, readSeq: 0 })),
    });
    expect(changes).toEqual([]);
    expect(tracker.receiptsOf(group, 3)).toMatchObject({ status: 'read', readBy: ['u_bob', 'u_carol'] });
  });
});
