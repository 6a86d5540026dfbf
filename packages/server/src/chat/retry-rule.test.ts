import { describe, expect, it } from 'vitest';
import type { Message, MessageDraft } from './model.js';
import { retriedMessage } from './retry-rule.js';

const draft: MessageDraft = { conversationId: 'c_1', id: 'm-1', senderId: 'u_alice', deviceId: 'd_phone', at: 2_000, bodyJson: '{"text":"hi"}' };
const stored: Message = { ...draft, seq: 7, at: 1_000 };

describe('retriedMessage', () => {
  it('answers a retry of the same message with the message first stored', () => {
    expect(retriedMessage(stored, draft)).toBe(stored);
  });

  it('refuses the same (sender, id) with another body with conflict', () => {
    expect(() => retriedMessage(stored, { ...draft, bodyJson: '{"text":"other"}' })).toThrow(expect.objectContaining({ code: 'conflict' }));
  });

  it('refuses the same (sender, id) in another conversation with conflict', () => {
    expect(() => retriedMessage(stored, { ...draft, conversationId: 'c_2' })).toThrow(expect.objectContaining({ code: 'conflict' }));
  });

  it('takes a retry of a message that can no longer be read as the same message', () => {
    const unreadable: Message = { ...stored, bodyJson: '{"text":""}', unreadable: true };
    expect(retriedMessage(unreadable, draft)).toBe(unreadable);
  });
});
