import type Database from 'better-sqlite3';
import type { Device } from '../../chat/model.js';
import { logSlices, sliceOf } from './log-slices.js';

interface AckedState {
  userId: string;
  /** The device's slice (log-slices.ts), for the write-back a slice at a time. */
  slice: number;
  ackedPos: number;
  lastActiveAt: number;
  /** Moved since it was last written to `devices`. */
  dirty: boolean;
}

/**
 * Devices whose state stays in memory once written back, at most. Kept, the
 * state of a device that acks every second is read and made once, not once
 * per write-back: each one lived past a scavenge and was promoted, only to
 * die in the old space.
 */
const writtenStatesKeptMax = 50_000;

/**
 * Where each device has acked to, kept in memory and written to `devices` in
 * bulk. A device acks nearly every event it receives, and most acks make no
 * receipt: writing each one dirtied the device's row page and cost a commit.
 * An acked pos is not a durability promise (a lost one only replays events the
 * client shows once, by pos), so losing the last second of them to a crash is
 * allowed, and the store writes them back within a second, a slice of the
 * devices at a time, and all of them at close. The states stay known after
 * their write-back, up to `writtenStatesKeptMax` devices. Readers
 * of `devices` that depend on the acked pos (push, compaction) write them back
 * first; device reads through the store see the newest value.
 */
export class DeviceAcks {
  private readonly states = new Map<string, AckedState>();
  /** Per slice, the devices whose state moved since the slice's last write-back. */
  private readonly idsBySlice: string[][] = Array.from({ length: logSlices }, () => []);
  /** Acks taken but not yet run by their write: a reconnect in between must not replay what they acked. */
  private readonly requested = new Map<string, number>();
  private unwritten = 0;
  private readonly selectState;
  private readonly updateState;

  constructor(db: Database.Database) {
    this.selectState = db.prepare<[string], { user_id: string; acked_pos: number; last_active_at: number }>(
      'SELECT user_id, acked_pos, last_active_at FROM devices WHERE id = ?',
    );
    this.updateState = db.prepare<[pos: number, at: number, deviceId: string]>(
      'UPDATE devices SET acked_pos = max(acked_pos, ?), last_active_at = max(last_active_at, ?) WHERE id = ?',
    );
  }

  /** The device's acked pos and user; undefined for an unknown (revoked) device. */
  state(deviceId: string): { userId: string; ackedPos: number } | undefined {
    const known = this.states.get(deviceId);
    if (known !== undefined) return known;
    const row = this.selectState.get(deviceId);
    if (row === undefined) return undefined;
    const state: AckedState = { userId: row.user_id, slice: sliceOf(deviceId), ackedPos: row.acked_pos, lastActiveAt: row.last_active_at, dirty: false };
    // All written states go at once, so that the sweep is rare; moved ones stay until written.
    if (this.states.size - this.unwritten >= writtenStatesKeptMax) this.forgetWritten();
    this.states.set(deviceId, state);
    return state;
  }

  /** An ack the store took, before its write runs. */
  request(deviceId: string, pos: number): void {
    this.requested.set(deviceId, Math.max(pos, this.requested.get(deviceId) ?? 0));
  }

  /** Moves the device's acked pos to `pos` (never back) and its activity to `at`, in memory. */
  setAckedPos(deviceId: string, pos: number, at: number): void {
    // The write of an ack folds every ack of the device taken before it ran (AckCoalescer).
    this.requested.delete(deviceId);
    const state = this.states.get(deviceId);
    if (state === undefined) return;
    state.ackedPos = Math.max(state.ackedPos, pos);
    state.lastActiveAt = Math.max(state.lastActiveAt, at);
    if (!state.dirty) {
      this.unwritten += 1;
      this.idsBySlice[state.slice]?.push(deviceId);
    }
    state.dirty = true;
  }

  /** The device as read from `devices`, with the acked pos and activity not yet written back. */
  overlay(device: Device): Device {
    const state = this.states.get(device.id);
    const requested = this.requested.get(device.id) ?? 0;
    if ((state === undefined || !state.dirty) && requested <= device.ackedPos) return device;
    return {
      ...device,
      ackedPos: Math.max(device.ackedPos, state?.ackedPos ?? 0, requested),
      lastActiveAt: Math.max(device.lastActiveAt, state?.lastActiveAt ?? 0),
    };
  }

  hasUnwritten(): boolean {
    return this.unwritten > 0;
  }

  /**
   * Writes every moved acked pos to `devices`, inside a write transaction:
   * the devices listed per slice, not every state kept (up to
   * `writtenStatesKeptMax`), since push claims and compactions call it.
   */
  writeBack(): void {
    for (let slice = 0; slice < this.idsBySlice.length; slice += 1) this.writeBackSlice(slice);
  }

  /**
   * The same for the devices of one slice (log-slices.ts): a write-back of
   * thousands of devices at once would hold the event loop for milliseconds.
   */
  writeBackSlice(slice: number): void {
    const ids = this.idsBySlice[slice] ?? [];
    for (const deviceId of ids) {
      const state = this.states.get(deviceId);
      if (state?.dirty !== true) continue;
      this.updateState.run(state.ackedPos, state.lastActiveAt, deviceId);
      this.unwritten -= 1;
      state.dirty = false;
    }
    ids.length = 0;
  }

  private forgetWritten(): void {
    this.states.forEach((state, deviceId) => {
      if (!state.dirty) this.states.delete(deviceId);
    });
  }

  /** Forgets a device whose row another statement changed or deleted (reset, revoke). */
  forget(deviceId: string): void {
    if (this.states.get(deviceId)?.dirty === true) this.unwritten -= 1;
    this.states.delete(deviceId);
    this.requested.delete(deviceId);
  }

  /**
   * After a rolled-back batch: an ack in it may have moved a device whose
   * receipts were rolled back, so the device must cover that part again.
   * Acks not yet written back are lost; their events are replayed once more.
   */
  clear(): void {
    this.states.clear();
    for (const ids of this.idsBySlice) ids.length = 0;
    this.requested.clear();
    this.unwritten = 0;
  }
}
