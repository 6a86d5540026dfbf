import { describe, expect, it } from 'vitest';
import { newConversationId, newDeviceId, newUserId } from '../../chat/ids.js';
import { logSlices, sliceOf } from './log-slices.js';

describe('sliceOf', () => {
  it.each([
    ['user', newUserId],
    ['device', newDeviceId],
    ['conversation', newConversationId],
  ])('splits %s ids into every slice, in ranges that follow the key order', (_kind, newId) => {
    // JavaScript's < on these ASCII strings is SQLite's binary collation.
    const ids = Array.from({ length: 2_000 }, () => newId()).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const slices = ids.map(sliceOf);
    expect(slices.every((slice, i) => i === 0 || slice >= (slices[i - 1] ?? 0))).toBe(true);
    expect(new Set(slices).size).toBe(logSlices);
  });

  it('gives a key too short to range over a slice from its hash, the same every time', () => {
    for (const key of ['', 'u', 'u_']) {
      const slice = sliceOf(key);
      expect(slice).toBeGreaterThanOrEqual(0);
      expect(slice).toBeLessThan(logSlices);
      expect(sliceOf(key)).toBe(slice);
    }
    expect(new Set(['', 'u', 'u_', 'x', 'ab'].map(sliceOf)).size).toBeGreaterThan(1);
  });
});
