import { describe, expect, it } from 'vitest';
import { CatchUpQueue } from './catch-up-queue.js';

describe('CatchUpQueue', () => {
  it('catches up at most the given number of users at once, each user waiting once however often it is added', async () => {
    const finishes = new Map<string, () => void>();
    const started: string[] = [];
    const queue = new CatchUpQueue({
      catchUpUser: (userId) => {
        started.push(userId);
        return new Promise<void>((resolve) => finishes.set(userId, resolve));
      },
      concurrencyMax: 2,
      onError: (error) => {
        throw error;
      },
    });
    for (const userId of ['u_1', 'u_2', 'u_3', 'u_3', 'u_4', 'u_3']) queue.add(userId);
    expect(started).toEqual(['u_1', 'u_2']);
    finishes.get('u_1')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['u_1', 'u_2', 'u_3']);
    finishes.get('u_2')?.();
    finishes.get('u_3')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['u_1', 'u_2', 'u_3', 'u_4']);
  });
});
