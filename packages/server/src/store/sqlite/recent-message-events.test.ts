import { describe, expect, it } from 'vitest';
import { RecentMessageEvents } from './recent-message-events.js';

const chat = 'conversation-chat';
const group = 'conversation-group';

describe('RecentMessageEvents', () => {
  it('answers, per conversation and sender, the newest seq among the events of a pos range', () => {
    const recent = new RecentMessageEvents(10);
    recent.record('bob', { pos: 1, conversationId: chat, seq: 1, senderId: 'alice' });
    recent.record('bob', { pos: 2, conversationId: group, seq: 7, senderId: 'carol' });
    recent.record('bob', { pos: 3, conversationId: chat, seq: 2, senderId: 'alice' });
    recent.record('bob', { pos: 4, conversationId: group, seq: 8, senderId: 'alice' });
    recent.record('bob', { pos: 5, conversationId: chat, seq: 3, senderId: 'alice' });

    expect(recent.newestBySender('bob', 1, 4)).toEqual([
      { conversationId: group, senderId: 'carol', seq: 7 },
      { conversationId: chat, senderId: 'alice', seq: 2 },
      { conversationId: group, senderId: 'alice', seq: 8 },
    ]);
    expect(recent.newestBySender('bob', 4, 5)).toEqual([{ conversationId: chat, senderId: 'alice', seq: 3 }]);
    expect(recent.newestBySender('bob', 5, 5)).toEqual([]);
  });

  it('answers nothing for a range that reaches below the events it keeps, so that the table answers', () => {
    const recent = new RecentMessageEvents(10);
    recent.record('bob', { pos: 41, conversationId: chat, seq: 1, senderId: 'alice' });

    expect(recent.newestBySender('bob', 40, 41)).toEqual([{ conversationId: chat, senderId: 'alice', seq: 1 }]);
    expect(recent.newestBySender('bob', 39, 41)).toBeUndefined();
    expect(recent.newestBySender('carol', 0, 41)).toBeUndefined();
  });

  it('keeps the newest events and their senders right once the older ones are dropped', () => {
    const recent = new RecentMessageEvents(10);
    // Once the older half (pos 1 to 256) is dropped, carol has no event left,
    // and erin's and alice's senders are renumbered.
    for (let pos = 1; pos <= 600; pos += 1) {
      const senderId = pos <= 200 ? 'carol' : pos <= 300 ? 'erin' : 'alice';
      recent.record('bob', { pos, conversationId: chat, seq: pos, senderId });
    }

    expect(recent.newestBySender('bob', 0, 600)).toBeUndefined();
    expect(recent.newestBySender('bob', 255, 300)).toBeUndefined();
    expect(recent.newestBySender('bob', 256, 300)).toEqual([{ conversationId: chat, senderId: 'erin', seq: 300 }]);
    expect(recent.newestBySender('bob', 290, 310)).toEqual([
      { conversationId: chat, senderId: 'erin', seq: 300 },
      { conversationId: chat, senderId: 'alice', seq: 310 },
    ]);
    recent.record('bob', { pos: 601, conversationId: group, seq: 1, senderId: 'dave' });
    expect(recent.newestBySender('bob', 599, 601)).toEqual([
      { conversationId: chat, senderId: 'alice', seq: 600 },
      { conversationId: group, senderId: 'dave', seq: 1 },
    ]);
  });

  it('forgets everything when cleared, as after a batch that was rolled back', () => {
    const recent = new RecentMessageEvents(10);
    recent.record('bob', { pos: 1, conversationId: chat, seq: 1, senderId: 'alice' });
    recent.clear();

    expect(recent.newestBySender('bob', 0, 1)).toBeUndefined();
  });
});
