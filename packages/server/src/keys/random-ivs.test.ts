import { describe, expect, it } from 'vitest';
import { ivBytes, RandomIvs } from './random-ivs.js';

describe('RandomIvs', () => {
  it('hands out 12-byte IVs that later draws never overwrite, across refills of the pool', () => {
    const ivs = new RandomIvs();
    const first = ivs.next();
    const copy = Buffer.from(first);
    for (let index = 0; index < 1_000; index++) ivs.next();
    expect(first.length).toBe(ivBytes);
    expect(first.equals(copy)).toBe(true);
  });
});
