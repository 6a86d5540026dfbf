import type Database from 'better-sqlite3';
import { nextStreamFloor } from '../../chat/retention-rule.js';
import { lastPosOf } from './heads.js';

/**
 * Stream retention: events every active device has processed are deleted, so
 * a stream does not grow forever. A device idle since before `activeSince`
 * does not hold the floor down; when it comes back below the floor it is
 * moved to the stream's end (`resetDevicePos`) and resyncs from history.
 */
export class RetentionQueries {
  private readonly selectActiveFloor;
  private readonly selectFloor;
  private readonly deleteEvents;
  private readonly updateFloor;
  private readonly moveDeviceToEnd;

  constructor(db: Database.Database) {
    // min() over no rows is NULL: no active device.
    this.selectActiveFloor = db.prepare<[{ userId: string; activeSince: number }], { floor: number | null }>(
      'SELECT min(acked_pos) AS floor FROM devices WHERE user_id = @userId AND last_active_at >= @activeSince',
    );
    this.selectFloor = db.prepare<[string], { stream_floor: number }>('SELECT stream_floor FROM users WHERE id = ?');
    this.deleteEvents = db.prepare<[{ userId: string; above: number; floor: number }]>(
      'DELETE FROM events WHERE user_id = @userId AND pos > @above AND pos <= @floor',
    );
    this.updateFloor = db.prepare<[{ userId: string; floor: number }]>('UPDATE users SET stream_floor = @floor WHERE id = @userId');
    this.moveDeviceToEnd = db.prepare<[string], { acked_pos: number }>(
      `UPDATE devices SET acked_pos = ${lastPosOf('devices.user_id')}
       WHERE id = ? RETURNING acked_pos`,
    );
  }

  /** See `StreamStore.compactStream`; the new floor is `nextStreamFloor`'s. */
  compactStream(userId: string, activeSince: number): number {
    const current = this.streamFloor(userId);
    const floor = nextStreamFloor(current, this.selectActiveFloor.get({ userId, activeSince })?.floor ?? undefined);
    if (floor === undefined) return current;
    this.deleteEvents.run({ userId, above: current, floor });
    this.updateFloor.run({ userId, floor });
    return floor;
  }

  streamFloor(userId: string): number {
    return this.selectFloor.get(userId)?.stream_floor ?? 0;
  }

  /** The device's new acked pos; undefined for an unknown device. */
  resetDevicePos(deviceId: string): number | undefined {
    return this.moveDeviceToEnd.get(deviceId)?.acked_pos;
  }
}
