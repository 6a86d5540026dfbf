import type { Bus, WireEntry } from '../bus/bus.js';
import type { Appended } from './model.js';
import { streamEntryFrame } from './stream-frames.js';

/** Wakes each user's sessions with the entries a committed write appended to their streams, in pos order. */
export function publishAppended(bus: Bus, appended: Appended[]): void {
  const byUser = new Map<string, WireEntry[]>();
  for (const { userId, entry } of appended) {
    let entries = byUser.get(userId);
    if (entries === undefined) {
      entries = [];
      byUser.set(userId, entries);
    }
    entries.push(streamEntryFrame(entry));
  }
  for (const [userId, entries] of byUser) {
    entries.sort((a, b) => a.pos - b.pos);
    bus.publish(userId, { kind: 'stream', entries });
  }
}
