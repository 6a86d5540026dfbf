import type { MessageEvent, ReceiptEvent } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { StreamCursor } from './stream-cursor.js';

function message(pos: number, conversation: string, seq: number): MessageEvent {
  return { type: 'message', pos, conversation, seq, id: crypto.randomUUID(), sender: 'u_a', device: 'd_a', at: 1, body: { text: 'hi' } };
}

function receipt(pos: number): ReceiptEvent {
  return { type: 'receipt', pos, conversation: 'c_1', user: 'u_b', status: 'read', seq: 1 };
}

describe('StreamCursor', () => {
  it('surfaces events with a pos above the processed one and advances to it', () => {
    const cursor = new StreamCursor(0, {});
    expect(cursor.advance(message(1, 'c_1', 1))).toBe(true);
    expect(cursor.advance(receipt(2))).toBe(true);
    expect(cursor.pos).toBe(2);
  });

  it('ignores replayed events at or below the processed pos', () => {
    const cursor = new StreamCursor(5, {});
    expect(cursor.advance(receipt(5))).toBe(false);
    expect(cursor.advance(message(3, 'c_1', 9))).toBe(false);
    expect(cursor.pos).toBe(5);
  });

  it('does not surface a message whose seq was already surfaced, but moves past its pos', () => {
    const cursor = new StreamCursor(10, { c_1: 4 });
    expect(cursor.advance(message(11, 'c_1', 4))).toBe(false);
    expect(cursor.pos).toBe(11);
    expect(cursor.advance(message(12, 'c_2', 4))).toBe(true);
    expect(cursor.advance(message(13, 'c_1', 5))).toBe(true);
    expect(cursor.maxSeqByConversation()).toEqual({ c_1: 5, c_2: 4 });
  });

  it('accepts a first event far past the stored pos, as a new device sees', () => {
    const cursor = new StreamCursor(0, {});
    expect(cursor.advance(message(1_000, 'c_1', 7))).toBe(true);
    expect(cursor.pos).toBe(1_000);
  });

  it('forgets everything on reset', () => {
    const cursor = new StreamCursor(8, { c_1: 3 });
    cursor.reset();
    expect(cursor.pos).toBe(0);
    expect(cursor.advance(message(1, 'c_1', 1))).toBe(true);
  });
});
