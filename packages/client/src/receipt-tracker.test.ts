import type { ConversationEvent, ConversationKind, ConversationView, ReceiptEvent } from '@parley/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { ReceiptTracker } from './receipt-tracker.js';

const group = 'c_group';
const direct = 'c_direct';
let pos = 0;

function receipt(user: string, status: 'delivered' | 'read', seq: number, conversation = direct): ReceiptEvent {
  return { type: 'receipt', pos: ++pos, conversation, user, status, seq };
}

/** A group's aggregate receipt: every other member has `status` for the user's messages up to `seq`. */
function all(status: 'delivered' | 'read', seq: number): ReceiptEvent {
  return { type: 'receipt', pos: ++pos, conversation: group, status, seq, all: true };
}

function change(conversation: string, change: ConversationEvent['change'], members: string[], kind?: ConversationKind): ConversationEvent {
  return { type: 'conversation', pos: ++pos, conversation, change, members, by: 'u_alice', ...(kind === undefined ? {} : { kind }) };
}

function snapshot(id: string, type: ConversationKind, lastSeq: number, members: [string, number, number][]): ConversationView {
  return {
    id,
    type,
    name: 'Trio',
    createdAt: 1,
    lastSeq,
    members: members.map(([user, deliveredSeq, readSeq]) => ({ user, role: 'member' as const, deliveredSeq, readSeq })),
  };
}

describe('ReceiptTracker in a direct conversation', () => {
  let tracker: ReceiptTracker;
  beforeEach(() => {
    tracker = new ReceiptTracker();
    tracker.setUser('u_alice');
    tracker.conversationChange(change(direct, 'created', ['u_alice', 'u_bob'], 'direct'));
  });

  it('reports an own message as sent when it is first seen, and ignores messages of others', () => {
    expect(tracker.message(direct, 1, 'u_bob')).toEqual([]);
    expect(tracker.message(direct, 2, 'u_alice')).toEqual([{ conversation: direct, seq: 2, status: 'sent', deliveredTo: [], readBy: [] }]);
    expect(tracker.message(direct, 2, 'u_alice')).toEqual([]);
  });

  it("moves a message to delivered and then read with the peer's receipts", () => {
    tracker.message(direct, 1, 'u_alice');
    expect(tracker.receipt(receipt('u_bob', 'delivered', 1))).toEqual([{ conversation: direct, seq: 1, status: 'delivered', deliveredTo: ['u_bob'], readBy: [] }]);
    expect(tracker.receipt(receipt('u_bob', 'read', 1))).toMatchObject([{ status: 'read', readBy: ['u_bob'] }]);
  });

  it('applies a cumulative receipt to every own message up to its seq, and to none after it', () => {
    tracker.message(direct, 1, 'u_alice');
    tracker.message(direct, 2, 'u_bob');
    tracker.message(direct, 3, 'u_alice');
    tracker.message(direct, 4, 'u_alice');
    const changes = tracker.receipt(receipt('u_bob', 'read', 3));
    expect(changes.map((entry) => entry.seq)).toEqual([1, 3]);
    expect(tracker.receiptsOf(direct, 4)).toMatchObject({ status: 'sent', deliveredTo: [], readBy: [] });
  });

  it('never moves a status back on a lower receipt, and reports nothing for it', () => {
    tracker.message(direct, 5, 'u_alice');
    tracker.receipt(receipt('u_bob', 'read', 5));
    expect(tracker.receiptsOf(direct, 5).status).toBe('read');
    expect(tracker.receipt(receipt('u_bob', 'read', 3))).toEqual([]);
    expect(tracker.receipt(receipt('u_bob', 'delivered', 4))).toEqual([]);
    expect(tracker.receiptsOf(direct, 5)).toMatchObject({ status: 'read', readBy: ['u_bob'] });
  });

  it('counts a read as a delivery too', () => {
    tracker.message(direct, 1, 'u_alice');
    tracker.receipt(receipt('u_bob', 'read', 1));
    expect(tracker.receiptsOf(direct, 1)).toMatchObject({ deliveredTo: ['u_bob'], readBy: ['u_bob'] });
  });

  it('ignores the user’s own read receipt, which only syncs read state across devices', () => {
    tracker.message(direct, 1, 'u_alice');
    expect(tracker.receipt(receipt('u_alice', 'read', 1))).toEqual([]);
    expect(tracker.receiptsOf(direct, 1)).toMatchObject({ deliveredTo: [], readBy: [] });
  });

  it('says sent while the members are unknown, then takes members and progress from a snapshot', () => {
    const unknown = 'c_unknown';
    tracker.message(unknown, 1, 'u_alice');
    tracker.message(unknown, 2, 'u_alice');
    tracker.receipt(receipt('u_bob', 'delivered', 2, unknown));
    expect(tracker.receiptsOf(unknown, 2)).toMatchObject({ status: 'sent', deliveredTo: ['u_bob'] });
    const changes = tracker.seed(
      snapshot(unknown, 'direct', 2, [
        ['u_alice', 0, 2],
        ['u_bob', 1, 1],
      ]),
    );
    expect(changes).toMatchObject([
      { seq: 1, status: 'read' },
      { seq: 2, status: 'delivered' },
    ]);
  });
});

describe('ReceiptTracker in a group', () => {
  let tracker: ReceiptTracker;
  beforeEach(() => {
    tracker = new ReceiptTracker();
    tracker.setUser('u_alice');
    tracker.conversationChange(change(group, 'created', ['u_alice', 'u_bob', 'u_carol'], 'group'));
  });

  it('takes the status from the aggregate receipts, which speak for every other member', () => {
    tracker.message(group, 1, 'u_alice');
    expect(tracker.receipt(all('delivered', 1))).toEqual([{ conversation: group, seq: 1, status: 'delivered', deliveredTo: ['u_bob', 'u_carol'], readBy: [] }]);
    expect(tracker.receipt(all('read', 1))).toEqual([{ conversation: group, seq: 1, status: 'read', deliveredTo: ['u_bob', 'u_carol'], readBy: ['u_bob', 'u_carol'] }]);
  });

  it('applies an aggregate to every own message up to its seq, and to none after it', () => {
    for (const [seq, sender] of [[1, 'u_alice'], [2, 'u_bob'], [3, 'u_alice'], [4, 'u_alice']] as const) tracker.message(group, seq, sender);
    expect(tracker.receipt(all('delivered', 3)).map((entry) => entry.seq)).toEqual([1, 3]);
    expect(tracker.receiptsOf(group, 4)).toMatchObject({ status: 'sent', deliveredTo: [], readBy: [] });
    expect(tracker.receipt(all('delivered', 2))).toEqual([]);
  });

  it('names who has a message before everyone has, from the detail route and live detail, without moving the status', () => {
    tracker.message(group, 1, 'u_alice');
    const loaded = tracker.recipients({
      conversation: group,
      seq: 1,
      members: [
        { user: 'u_bob', delivered: true, read: false },
        { user: 'u_carol', delivered: false, read: false },
      ],
    });
    expect(loaded).toEqual([{ conversation: group, seq: 1, status: 'sent', deliveredTo: ['u_bob'], readBy: [] }]);
    const live = tracker.detail({ type: 'receipt_detail', conversation: group, user: 'u_carol', status: 'read', seq: 1 });
    expect(live).toEqual([{ conversation: group, seq: 1, status: 'sent', deliveredTo: ['u_bob', 'u_carol'], readBy: ['u_carol'] }]);
  });

  it('does not count a member who left, nor one who joined after the message, among those the aggregate names', () => {
    tracker.message(group, 1, 'u_alice');
    tracker.conversationChange(change(group, 'member_left', ['u_carol']));
    tracker.conversationChange(change(group, 'member_added', ['u_dave']));
    tracker.receipt(all('delivered', 1));
    expect(tracker.receiptsOf(group, 1)).toMatchObject({ status: 'delivered', deliveredTo: ['u_bob'] });
  });

  it('takes from a snapshot what every other member has as the aggregate', () => {
    const seeded = 'c_seeded';
    for (const seq of [1, 2, 3]) tracker.message(seeded, seq, 'u_alice');
    const changes = tracker.seed(
      snapshot(seeded, 'group', 3, [
        ['u_alice', 0, 0],
        ['u_bob', 3, 1],
        ['u_carol', 2, 1],
      ]),
    );
    expect(changes).toMatchObject([
      { seq: 1, status: 'read' },
      { seq: 2, status: 'delivered' },
      { seq: 3, status: 'sent', deliveredTo: ['u_bob'] },
    ]);
  });

  it('keeps what live receipts said when an older snapshot arrives after them', () => {
    tracker.message(group, 3, 'u_alice');
    tracker.receipt(all('read', 3));
    const changes = tracker.seed(
      snapshot(group, 'group', 3, [
        ['u_alice', 1, 0],
        ['u_bob', 1, 0],
        ['u_carol', 1, 0],
      ]),
    );
    expect(changes).toEqual([]);
    expect(tracker.receiptsOf(group, 3)).toMatchObject({ status: 'read', readBy: ['u_bob', 'u_carol'] });
  });
});
