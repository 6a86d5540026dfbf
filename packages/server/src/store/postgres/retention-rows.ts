import { nextStreamFloor } from '../../chat/retention-rule.js';
import { query, rowOf, type Queryable } from './sql.js';

/**
 * Stream retention: events every active device has processed are deleted,
 * up to a floor that never goes down (chat/retention-rule.ts).
 */
export class RetentionRows {
  constructor(private readonly sql: Queryable) {}

  /** Locks the user: two nodes compacting one stream take turns. */
  async compactStream(userId: string, activeSince: number): Promise<number> {
    const user = await rowOf<{ stream_floor: number }>(this.sql, 'SELECT stream_floor FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
    const current = user?.stream_floor ?? 0;
    const active = await rowOf<{ floor: number | null }>(
      this.sql,
      'SELECT min(acked_pos) AS floor FROM devices WHERE user_id = $1 AND last_active_at >= $2',
      [userId, activeSince],
    );
    const floor = nextStreamFloor(current, active?.floor ?? undefined);
    if (floor === undefined) return current;
    await query(this.sql, 'DELETE FROM events WHERE user_id = $1 AND pos > $2 AND pos <= $3', [userId, current, floor]);
    await query(this.sql, 'UPDATE users SET stream_floor = $2 WHERE id = $1', [userId, floor]);
    return floor;
  }

  async streamFloor(userId: string): Promise<number> {
    return (await rowOf<{ stream_floor: number }>(this.sql, 'SELECT stream_floor FROM users WHERE id = $1', [userId]))?.stream_floor ?? 0;
  }

  /** The device's new acked pos, the stream's end; undefined for an unknown device. */
  async resetDevicePos(deviceId: string): Promise<number | undefined> {
    const row = await rowOf<{ acked_pos: number }>(
      this.sql,
      'UPDATE devices d SET acked_pos = u.last_pos FROM users u WHERE d.id = $1 AND u.id = d.user_id RETURNING d.acked_pos',
      [deviceId],
    );
    return row?.acked_pos;
  }
}
