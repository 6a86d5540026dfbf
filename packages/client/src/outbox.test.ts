import { describe, expect, it } from 'vitest';
import type { PendingSend } from './client-storage.js';
import { Outbox } from './outbox.js';

function pending(id: string): PendingSend {
  return { id, conversation: 'c_1', body: { text: id }, createdAt: 0 };
}

describe('Outbox', () => {
  it('resolves a send with its sent answer and forgets it', async () => {
    const outbox = new Outbox();
    const answer = outbox.add(pending('a'));
    expect(outbox.resolve({ type: 'sent', id: 'a', conversation: 'c_1', seq: 4, at: 9 })).toBe(true);
    await expect(answer).resolves.toMatchObject({ seq: 4 });
    expect(outbox.size).toBe(0);
    expect(outbox.resolve({ type: 'sent', id: 'a', conversation: 'c_1', seq: 4, at: 9 })).toBe(false);
  });

  it('lets out only sends that are already saved, in the order they were made', () => {
    const outbox = new Outbox([pending('restored')]);
    void outbox.add(pending('b'));
    void outbox.add(pending('c'));
    outbox.markSaved('c');
    expect(outbox.ready().map((send) => send.id)).toEqual(['restored', 'c']);
    expect(outbox.all().map((send) => send.id)).toEqual(['restored', 'b', 'c']);
  });

  it('keeps the sends when their promises are abandoned', async () => {
    const outbox = new Outbox();
    const answer = outbox.add(pending('a'));
    outbox.abandonWaiters(() => new Error('closed'));
    await expect(answer).rejects.toThrow('closed');
    expect(outbox.all().map((send) => send.id)).toEqual(['a']);
  });
});
