import { describe, expect, it } from 'vitest';
import { afterCompletion, coalescePushJob, isMuted, type PushJobState } from './push-queue-rule.js';

const waiting: PushJobState = { firstSeq: 3, lastSeq: 4, count: 2, lastPos: 9, dueAt: 5_000, attempts: 1 };

describe('coalescePushJob', () => {
  it('starts a job for a device that has none, due one coalescing window after the message', () => {
    const started = { firstSeq: 1, lastSeq: 1, count: 1, lastPos: 2, dueAt: 3_000, attempts: 0 };
    expect(coalescePushJob(undefined, { seq: 1, pos: 2, dueAt: 3_000 })).toEqual(started);
  });

  it('adds a message to the waiting job without moving its due time', () => {
    expect(coalescePushJob(waiting, { seq: 5, pos: 10, dueAt: 9_000 })).toEqual({ ...waiting, lastSeq: 5, count: 3, lastPos: 10 });
  });

  it('queues a message for a device at most once, ever', () => {
    expect(coalescePushJob(waiting, { seq: 4, pos: 9, dueAt: 9_000 })).toBeUndefined();
    expect(coalescePushJob({ ...waiting, count: 0 }, { seq: 2, pos: 5, dueAt: 9_000 })).toBeUndefined();
  });

  it('starts over, with a new due time and no attempts, once the job has nothing waiting', () => {
    expect(coalescePushJob({ ...waiting, count: 0 }, { seq: 6, pos: 12, dueAt: 9_000 })).toEqual({
      firstSeq: 6,
      lastSeq: 6,
      count: 1,
      lastPos: 12,
      dueAt: 9_000,
      attempts: 0,
    });
  });
});

describe('isMuted', () => {
  it('is muted until the mute ends, and never without a mute', () => {
    expect(isMuted(2_000, 1_999)).toBe(true);
    expect(isMuted(2_000, 2_000)).toBe(false);
    expect(isMuted(null, 0)).toBe(false);
  });
});

describe('afterCompletion', () => {
  it('lets a job with nothing newer than the claim rest, its attempts forgotten', () => {
    expect(afterCompletion(waiting, { lastSeq: 4, count: 2 }, 9_000)).toEqual({ ...waiting, count: 0, attempts: 0 });
  });

  it('keeps what was queued while the job was out, due at the next due time', () => {
    const grown = { ...waiting, lastSeq: 6, count: 4 };
    expect(afterCompletion(grown, { lastSeq: 4, count: 2 }, 9_000)).toEqual({ ...grown, firstSeq: 5, count: 2, dueAt: 9_000, attempts: 0 });
  });

  it('leaves alone a job cancelled and refilled while it was out: it is not this claim\'s', () => {
    const refilled = { ...waiting, firstSeq: 8, lastSeq: 8, count: 1 };
    expect(afterCompletion(refilled, { lastSeq: 4, count: 2 }, 9_000)).toBe(refilled);
  });
});
