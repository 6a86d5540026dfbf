import type { SendFrame } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SendQueue } from './send-queue.js';

/** A send queue whose host records what it writes, on a connection that is always welcomed. */
function queue(): { sends: SendQueue; written: string[] } {
  const written: string[] = [];
  const sends = new SendQueue({
    write: (frame: SendFrame) => written.push(frame.body.text) > 0,
    save: () => Promise.resolve(),
    answered: () => undefined,
    failed: () => undefined,
  });
  return { sends, written };
}

const idOf = (sends: SendQueue, text: string): string => sends.all().find((send) => send.body.text === text)?.id ?? '';
const sent = (sends: SendQueue, text: string, seq: number) => sends.answer({ type: 'sent', id: idOf(sends, text), conversation: 'c_1', seq, at: 0 });
const unavailable = (sends: SendQueue, text: string) => sends.refuse({ type: 'error', ref: idOf(sends, text), code: 'unavailable', message: 'down', retryAfterMs: 1_000 });

describe('SendQueue after unavailable', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds new sends, retries the oldest alone after the wait, and sends the rest in order once it is stored', async () => {
    const { sends, written } = queue();
    void sends.send('c_1', { text: 'a' });
    void sends.send('c_1', { text: 'b' });
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(['a', 'b']);
    unavailable(sends, 'a');
    unavailable(sends, 'b');
    void sends.send('c_1', { text: 'c' });
    await vi.advanceTimersByTimeAsync(999);
    expect(written).toEqual(['a', 'b']);

    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual(['a', 'b', 'a']);
    sent(sends, 'a', 1);
    expect(written).toEqual(['a', 'b', 'a', 'b', 'c']);
  });

  it('waits again when the oldest is refused again, and lets the others out when it is refused for good', async () => {
    const { sends, written } = queue();
    const first = sends.send('c_1', { text: 'a' });
    const second = sends.send('c_1', { text: 'b' });
    await vi.advanceTimersByTimeAsync(0);
    unavailable(sends, 'a');
    await vi.advanceTimersByTimeAsync(1_000);
    unavailable(sends, 'a');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(written).toEqual(['a', 'b', 'a', 'a']);

    sends.refuse({ type: 'error', ref: idOf(sends, 'a'), code: 'conflict', message: 'no' });
    await expect(first).rejects.toMatchObject({ code: 'conflict' });
    expect(written).toEqual(['a', 'b', 'a', 'a', 'b']);
    sent(sends, 'b', 1);
    await expect(second).resolves.toMatchObject({ seq: 1 });
  });
});
