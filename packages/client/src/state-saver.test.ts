import { describe, expect, it } from 'vitest';
import { AckScheduler } from './ack-scheduler.js';
import type { ClientState, ClientStorage } from './client-storage.js';
import { StateSaver } from './state-saver.js';

/** A storage whose saves finish only when the test lets them. */
class GatedStorage implements ClientStorage {
  readonly saved: ClientState[] = [];
  private readonly gates: (() => void)[] = [];

  async load(): Promise<ClientState | undefined> {
    return undefined;
  }

  save(state: ClientState): Promise<void> {
    return new Promise((resolve) => {
      this.gates.push(() => {
        this.saved.push(state);
        resolve();
      });
    });
  }

  async openNextGate(): Promise<void> {
    await waitUntil(() => this.gates.length > 0);
    this.gates.shift()?.();
  }
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !condition(); turn += 1) await Promise.resolve();
  expect(condition()).toBe(true);
}

function stateAt(pos: number): ClientState {
  return { pos, maxSeqByConversation: {}, outbox: [] };
}

describe('StateSaver', () => {
  it('turns a burst of save calls in one tick into one write of the newest state', async () => {
    const storage = new GatedStorage();
    let pos = 0;
    const saver = new StateSaver(storage, () => stateAt(pos), () => undefined);
    const saves = [1, 2, 3].map((next) => {
      pos = next;
      return saver.save();
    });
    await storage.openNextGate();
    await Promise.all(saves);
    expect(storage.saved.map((state) => state.pos)).toEqual([3]);
  });

  it('runs one write at a time and shares the next one among calls made meanwhile', async () => {
    const storage = new GatedStorage();
    let pos = 1;
    const savedPositions: number[] = [];
    const saver = new StateSaver(storage, () => stateAt(pos), (state) => savedPositions.push(state.pos));
    const first = saver.save();
    await waitUntil(() => true);
    pos = 2;
    const second = saver.save();
    pos = 3;
    const third = saver.save();
    expect(third).toBe(second);
    await storage.openNextGate();
    await storage.openNextGate();
    await Promise.all([first, second, third]);
    expect(savedPositions).toEqual([1, 3]);
  });
});

describe('AckScheduler', () => {
  it('sends one ack per tick, carrying the newest pos', async () => {
    const sent: number[] = [];
    const acks = new AckScheduler((frame) => sent.push(frame.pos) > 0);
    acks.request(3);
    acks.request(7);
    acks.request(5);
    await Promise.resolve();
    acks.request(9);
    await Promise.resolve();
    expect(sent).toEqual([7, 9]);
  });

  it('never acks a pos again or backwards on the same connection, but does after a reset', async () => {
    const sent: number[] = [];
    const acks = new AckScheduler((frame) => sent.push(frame.pos) > 0);
    acks.request(7);
    await Promise.resolve();
    acks.request(7);
    acks.request(6);
    await Promise.resolve();
    acks.reset();
    acks.request(7);
    await Promise.resolve();
    expect(sent).toEqual([7, 7]);
  });

  it('tries again with the next request when there was no socket to write to', async () => {
    const sent: number[] = [];
    let open = false;
    const acks = new AckScheduler((frame) => open && sent.push(frame.pos) > 0);
    acks.request(4);
    await Promise.resolve();
    open = true;
    acks.request(4);
    await Promise.resolve();
    expect(sent).toEqual([4]);
  });

  it('acks only what is both saved and received on the current socket', async () => {
    const sent: number[] = [];
    const acks = new AckScheduler((frame) => sent.push(frame.pos) > 0);
    acks.restoreSaved(10);
    acks.received(4);
    acks.requestDue();
    await Promise.resolve();
    acks.received(12);
    acks.saved(11);
    await Promise.resolve();
    acks.reset();
    acks.requestDue();
    await Promise.resolve();
    expect(sent).toEqual([4, 11]);
  });
});
