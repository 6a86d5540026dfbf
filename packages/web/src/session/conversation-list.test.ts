import { describe, expect, it } from 'vitest';
import type { ConversationSummaryView, MessageView } from '@parley/client';
import { ConversationList } from './conversation-list.js';

const me = 'u_me';

function summary(id: string, overrides: Partial<ConversationSummaryView> = {}): ConversationSummaryView {
  return { id, type: 'direct', name: id, lastSeq: 0, readSeq: 0, unread: 0, ...overrides };
}

function message(conversation: string, seq: number, sender: string, at: number, text = `m${seq}`): MessageView {
  return { conversation, seq, id: `${conversation}-${seq}`, sender, device: 'd', at, body: { text } };
}

describe('ConversationList', () => {
  it('orders conversations by their newest activity, a new message moving its conversation to the top', () => {
    const list = new ConversationList();
    list.replace([summary('a', { lastMessageAt: 200, lastSeq: 1 }), summary('b', { lastMessageAt: 100, lastSeq: 1 })]);
    expect(list.all.map((chat) => chat.id)).toEqual(['a', 'b']);
    list.message(message('b', 2, 'u_bob', 300), me, false);
    expect(list.all.map((chat) => chat.id)).toEqual(['b', 'a']);
    expect(list.get('b')?.preview?.text).toBe('m2');
  });

  it('counts messages from others as unread unless the conversation is being read, never the user\'s own', () => {
    const list = new ConversationList();
    list.replace([summary('a')]);
    list.message(message('a', 1, 'u_bob', 1), me, false);
    list.message(message('a', 2, me, 2), me, false);
    list.message(message('a', 3, 'u_bob', 3), me, true);
    expect(list.get('a')?.unread).toBe(1);
    list.read('a', 3);
    expect(list.get('a')).toMatchObject({ unread: 0, readSeq: 3 });
  });

  it('keeps the preview of a message that arrived before its conversation was listed', () => {
    const list = new ConversationList();
    expect(list.message(message('new', 1, 'u_bob', 10, 'hello'), me, false)).toBe(false);
    list.replace([summary('new', { lastSeq: 1, unread: 1, lastMessageAt: 10 })]);
    expect(list.get('new')?.preview?.text).toBe('hello');
  });

  it('does not count a message twice when it comes again (from the cache, a page and the stream)', () => {
    const list = new ConversationList();
    list.replace([summary('a')]);
    list.message(message('a', 1, 'u_bob', 1), me, false);
    list.message(message('a', 1, 'u_bob', 1), me, false);
    expect(list.get('a')).toMatchObject({ unread: 1, lastSeq: 1 });
  });

  it('is muted while the mute from the server or this device lasts, and unmuted when lifted', () => {
    const list = new ConversationList();
    list.replace([summary('a', { mutedUntil: 1_000 }), summary('b')]);
    expect(list.isMuted('a', 999)).toBe(true);
    expect(list.isMuted('a', 1_000)).toBe(false);
    expect(list.isMuted('b', 0)).toBe(false);
    list.mute('b', 5_000);
    expect(list.isMuted('b', 0)).toBe(true);
    list.mute('a', null);
    expect(list.isMuted('a', 0)).toBe(false);
  });
});
