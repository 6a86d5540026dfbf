import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckWriter } from './ack-writer.js';
import { StreamAcks } from './stream-acks.js';

const receiptMs = 50;
const quietMs = 1_000;

describe('StreamAcks', () => {
  let written: number[];
  let acks: StreamAcks;

  beforeEach(() => {
    vi.useFakeTimers();
    written = [];
    const writer = new AckWriter(
      async (pos) => {
        written.push(pos);
      },
      { receiptMs, quietMs },
      (error) => {
        throw error;
      },
    );
    writer.start(0);
    acks = new StreamAcks(writer, 'u_me');
  });
  afterEach(() => vi.useRealTimers());

  const message = (pos: number, sender: string) => ({ pos, frame: '', sender });
  const receipt = (pos: number) => ({ pos, frame: '' });

  it('writes soon an ack that passes a message from someone else: its sender waits for the tick', async () => {
    acks.sent(message(1, 'u_other'));
    acks.acked(1);
    await vi.advanceTimersByTimeAsync(receiptMs);
    expect(written).toEqual([1]);
  });

  it("lets an ack of the device's own messages and of receipts wait: it makes no receipt", async () => {
    acks.sent(message(1, 'u_me'));
    acks.sent(receipt(2));
    acks.acked(2);
    await vi.advanceTimersByTimeAsync(receiptMs);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(quietMs - receiptMs);
    expect(written).toEqual([2]);
  });

  it('makes a receipt once per message from someone else: a later ack past only its own is quiet', async () => {
    acks.sent(message(1, 'u_other'));
    acks.acked(1);
    await vi.advanceTimersByTimeAsync(receiptMs);
    acks.sent(message(2, 'u_me'));
    acks.acked(2);
    await vi.advanceTimersByTimeAsync(receiptMs);
    expect(written).toEqual([1]);
  });

  it('still makes a receipt for the messages from others sent after the one acked', async () => {
    acks.sent(message(1, 'u_other'));
    acks.sent(message(2, 'u_other'));
    acks.acked(1);
    await vi.advanceTimersByTimeAsync(receiptMs);
    acks.acked(2);
    await vi.advanceTimersByTimeAsync(receiptMs);
    expect(written).toEqual([1, 2]);
  });
});
