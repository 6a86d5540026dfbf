import { describe, expect, it } from 'vitest';
import { Topics } from './topics.js';

describe('Topics', () => {
  it('tells each listener once per task however many changes came, and only for the topic it watches', async () => {
    const topics = new Topics();
    const heard: string[] = [];
    topics.subscribe('list', () => heard.push('list'));
    topics.subscribe('conversation:c1', () => heard.push('c1'));
    topics.changed('list');
    topics.changed('list', 'connection');
    topics.changed('list');
    expect(heard).toEqual([]);
    await Promise.resolve();
    expect(heard).toEqual(['list']);
    expect(topics.version('list')).toBe(3);
    expect(topics.version('conversation:c1')).toBe(0);
  });

  it('stops telling a listener that unsubscribed', async () => {
    const topics = new Topics();
    let calls = 0;
    const unsubscribe = topics.subscribe('users', () => (calls += 1));
    topics.changed('users');
    await Promise.resolve();
    unsubscribe();
    topics.changed('users');
    await Promise.resolve();
    expect(calls).toBe(1);
  });
});
