import { describe, expect, it } from 'vitest';
import { FrameHold } from './frame-hold.js';

describe('FrameHold', () => {
  it('takes nothing while no backfill runs', () => {
    const hold = new FrameHold<number>(10);
    expect(hold.offer(1)).toBe(false);
  });

  it('releases the held frames in arrival order when the last of two backfills ends', () => {
    const hold = new FrameHold<number>(10);
    hold.begin();
    hold.begin();
    for (const frame of [1, 2, 3]) expect(hold.offer(frame)).toBe(true);
    expect(hold.end()).toEqual({ frames: [], dropped: false });
    expect(hold.end()).toEqual({ frames: [1, 2, 3], dropped: false });
    expect(hold.holding).toBe(false);
  });

  it('drops frames past its limit and says so, so the client can have them replayed', () => {
    const hold = new FrameHold<number>(2);
    hold.begin();
    for (const frame of [1, 2, 3]) hold.offer(frame);
    expect(hold.end()).toEqual({ frames: [1, 2], dropped: true });
  });

  it('forgets what a replaced connection held, but keeps holding', () => {
    const hold = new FrameHold<number>(10);
    hold.begin();
    hold.offer(1);
    hold.discard();
    expect(hold.offer(2)).toBe(true);
    expect(hold.end()).toEqual({ frames: [2], dropped: false });
  });
});
