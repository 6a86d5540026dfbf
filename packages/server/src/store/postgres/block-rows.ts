import { query, rowsOf, type Queryable } from './sql.js';

/** Who blocked whom. */
export class BlockRows {
  constructor(private readonly sql: Queryable) {}

  async block(userId: string, blockedId: string, at: number): Promise<void> {
    await query(this.sql, 'INSERT INTO blocks (user_id, blocked_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [userId, blockedId, at]);
  }

  async unblock(userId: string, blockedId: string): Promise<void> {
    await query(this.sql, 'DELETE FROM blocks WHERE user_id = $1 AND blocked_id = $2', [userId, blockedId]);
  }

  async listBlocked(userId: string): Promise<string[]> {
    return (await rowsOf<{ blocked_id: string }>(this.sql, 'SELECT blocked_id FROM blocks WHERE user_id = $1 ORDER BY blocked_id', [userId])).map(
      (row) => row.blocked_id,
    );
  }

  /** Users who blocked `userId` or whom `userId` blocked. */
  async listRelated(userId: string): Promise<string[]> {
    const rows = await rowsOf<{ id: string }>(
      this.sql,
      'SELECT blocked_id AS id FROM blocks WHERE user_id = $1 UNION SELECT user_id AS id FROM blocks WHERE blocked_id = $1',
      [userId],
    );
    return rows.map((row) => row.id);
  }
}
