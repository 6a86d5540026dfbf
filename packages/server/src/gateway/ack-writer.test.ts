import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckWriter } from './ack-writer.js';

describe('AckWriter', () => {
  let written: number[];
  let writer: AckWriter;

  beforeEach(() => {
    vi.useFakeTimers();
    written = [];
    writer = new AckWriter(
      async (pos) => {
        written.push(pos);
      },
      { receiptMs: 50, quietMs: 1_000 },
      (error) => {
        throw error;
      },
    );
    writer.start(10);
  });
  afterEach(() => vi.useRealTimers());

  it('writes an ack that makes a receipt after the short delay, once, with the newest pos', async () => {
    writer.request(11, true);
    writer.request(12, false);
    await vi.advanceTimersByTimeAsync(49);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([12]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(written).toEqual([12]);
  });

  it('lets an ack that makes no receipt wait for the long delay', async () => {
    writer.request(11, false);
    await vi.advanceTimersByTimeAsync(999);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([11]);
  });

  it('brings a waiting quiet write forward when an ack that makes a receipt comes', async () => {
    writer.request(11, false);
    await vi.advanceTimersByTimeAsync(500);
    writer.request(12, true);
    await vi.advanceTimersByTimeAsync(50);
    expect(written).toEqual([12]);
  });

  it('ignores acks at or below what was already requested', async () => {
    writer.request(9, true);
    writer.request(10, true);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(written).toEqual([]);
  });

  it('writes what is pending at once on flush, and nothing more afterwards', async () => {
    writer.request(11, false);
    await writer.flush();
    expect(written).toEqual([11]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(written).toEqual([11]);
  });

  /** A writer from pos 0, both delays `delayMs`, whose first write lasts until `finishFirst` is called. */
  function writerWhoseFirstWriteWaits(delayMs: number): { slow: AckWriter; finishFirst: () => void } {
    let finish: () => void = () => {};
    const slow = new AckWriter(
      (pos) => {
        written.push(pos);
        return written.length === 1 ? new Promise<void>((resolve) => (finish = resolve)) : Promise.resolve();
      },
      { receiptMs: delayMs, quietMs: delayMs },
      () => {},
    );
    slow.start(0);
    return { slow, finishFirst: () => finish() };
  }

  it('keeps writing after a timer that found its ack already written, and its flush ends', async () => {
    const { slow, finishFirst } = writerWhoseFirstWriteWaits(10);
    slow.request(1, true);
    await vi.advanceTimersByTimeAsync(10);
    // Arms a second timer while the first write is under way; that write then writes 2 as well.
    slow.request(2, true);
    finishFirst();
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual([1, 2]);
    // The second timer fires with nothing left to write.
    await vi.advanceTimersByTimeAsync(10);
    slow.request(3, true);
    await vi.advanceTimersByTimeAsync(10);
    expect(written).toEqual([1, 2, 3]);
    slow.request(4, false);
    await slow.flush();
    expect(written).toEqual([1, 2, 3, 4]);
  });

  it('writes one ack at a time: acks during a write are folded into one write after it', async () => {
    const { slow, finishFirst } = writerWhoseFirstWriteWaits(0);
    slow.request(1, true);
    await vi.advanceTimersByTimeAsync(0);
    slow.request(2, true);
    slow.request(3, true);
    await vi.advanceTimersByTimeAsync(10);
    expect(written).toEqual([1]);
    finishFirst();
    await slow.flush();
    expect(written).toEqual([1, 3]);
  });
});
