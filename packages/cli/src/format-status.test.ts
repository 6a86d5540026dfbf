import { describe, expect, it } from 'vitest';
import { formatStatus } from './format-status.js';

const names = new Map([
  ['u_bob', 'bob'],
  ['u_carol', 'carol'],
]);

describe('formatStatus', () => {
  it('adds nothing to a direct message that is only sent: its line has the ✓ already', () => {
    expect(formatStatus({ conversation: 'c', seq: 1, status: 'sent', deliveredTo: [], readBy: [] }, names, 'hi', false)).toBeUndefined();
  });

  it('says delivered and read in a direct conversation with two ticks, quoting the text', () => {
    const receipts = { conversation: 'c', seq: 1, deliveredTo: ['u_bob'], readBy: ['u_bob'] };
    expect(formatStatus({ ...receipts, status: 'read' }, names, 'hi', false)).toBe('✓✓ read: "hi"');
    expect(formatStatus({ ...receipts, status: 'delivered', readBy: [] }, names, undefined, false)).toBe('✓✓ delivered: seq 1');
  });

  it('names who has a group message and who read it, with one tick until everyone has it', () => {
    const partial = { conversation: 'c', seq: 2, status: 'sent' as const, deliveredTo: ['u_bob'], readBy: ['u_bob'] };
    expect(formatStatus(partial, names, 'hello', true)).toBe('✓ delivered to @bob, read by @bob: "hello"');
    const all = { ...partial, status: 'delivered' as const, deliveredTo: ['u_bob', 'u_carol'], readBy: [] };
    expect(formatStatus(all, names, 'hello', true)).toBe('✓✓ delivered to @bob, @carol: "hello"');
  });

  it('says everyone when the whole group has it but its members are not known by name', () => {
    const all = { conversation: 'c', seq: 4, status: 'delivered' as const, deliveredTo: [], readBy: [] };
    expect(formatStatus(all, names, 'hey', true)).toBe('✓✓ delivered to everyone: "hey"');
    expect(formatStatus({ ...all, status: 'read' }, names, 'hey', true)).toBe('✓✓ read by everyone: "hey"');
    expect(formatStatus({ ...all, status: 'sent' }, names, 'hey', true)).toBeUndefined();
  });

  it('shortens a long text to one line', () => {
    const receipts = { conversation: 'c', seq: 3, status: 'read' as const, deliveredTo: ['u_bob'], readBy: ['u_bob'] };
    expect(formatStatus(receipts, names, `a\nb ${'x'.repeat(60)}`, false)).toBe(`✓✓ read: "a b ${'x'.repeat(35)}…"`);
  });
});
