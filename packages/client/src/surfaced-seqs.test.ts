import { describe, expect, it } from 'vitest';
import { SurfacedSeqs } from './surfaced-seqs.js';

const page = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => ({ seq: from + index }));
const seqs = (messages: { seq: number }[]) => messages.map((message) => message.seq);

describe('SurfacedSeqs', () => {
  it('takes every fetched message as newer in a conversation nothing was shown of', () => {
    const surfaced = new SurfacedSeqs({}, {});
    const { newer, older } = surfaced.admitFetched('c_1', page(1, 5));
    expect(seqs(newer)).toEqual([1, 2, 3, 4, 5]);
    expect(older).toEqual([]);
    expect(surfaced.admitNext('c_1', 5)).toBe(false);
    expect(surfaced.admitNext('c_1', 6)).toBe(true);
  });

  it('splits a page around the shown range: older before it, newer after it, the shown ones dropped', () => {
    const surfaced = new SurfacedSeqs({}, {});
    for (const seq of [40, 41, 42]) surfaced.admitNext('c_1', seq);
    const { newer, older } = surfaced.admitFetched('c_1', page(30, 45));
    expect(seqs(older)).toEqual(page(30, 39).map((message) => message.seq));
    expect(seqs(newer)).toEqual([43, 44, 45]);
    const again = surfaced.admitFetched('c_1', page(1, 45));
    expect(seqs(again.older)).toEqual(page(1, 29).map((message) => message.seq));
    expect(again.newer).toEqual([]);
  });

  it('treats everything up to the max as shown in a state saved before floors were kept', () => {
    const surfaced = new SurfacedSeqs({ c_1: 10 }, {});
    const { newer, older } = surfaced.admitFetched('c_1', page(1, 12));
    expect(older).toEqual([]);
    expect(seqs(newer)).toEqual([11, 12]);
  });
});
