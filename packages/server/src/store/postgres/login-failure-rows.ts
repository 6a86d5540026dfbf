import type { LoginFailures } from '../../chat/login-throttle-rule.js';
import { query, rowsOf, type Queryable } from './sql.js';

/**
 * Keys unheard of this long are forgotten: far past the longest wait (15 min),
 * so forgetting one only means a guesser who paused a day starts over.
 */
const keptMs = 24 * 60 * 60 * 1000;
/** Forgotten per failure recorded, so the table stays small without a sweeper of its own. */
const forgottenPerWriteMax = 100;

/** The login throttle's failure counts, one row per key, shared by every node. */
export class LoginFailureRows {
  constructor(private readonly sql: Queryable) {}

  async read(keys: string[]): Promise<Map<string, LoginFailures>> {
    const rows = await rowsOf<{ key: string; count: number; last_at: number }>(
      this.sql,
      'SELECT key, count, last_at FROM login_failures WHERE key = ANY($1::text[])',
      [keys],
    );
    return new Map(rows.map((row) => [row.key, { count: row.count, lastAtMs: row.last_at }]));
  }

  /** Keys in sorted order: two nodes counting the same keys lock them in one order. */
  async record(keys: string[], at: number): Promise<void> {
    await query(
      this.sql,
      `INSERT INTO login_failures (key, count, last_at) SELECT key, 1, $2 FROM unnest($1::text[]) AS key ORDER BY key
       ON CONFLICT (key) DO UPDATE SET count = login_failures.count + 1, last_at = greatest(login_failures.last_at, excluded.last_at)`,
      [[...new Set(keys)].sort(), at],
    );
    await query(
      this.sql,
      'DELETE FROM login_failures WHERE key IN (SELECT key FROM login_failures WHERE last_at < $1 ORDER BY last_at LIMIT $2)',
      [at - keptMs, forgottenPerWriteMax],
    );
  }

  async clear(key: string): Promise<void> {
    await query(this.sql, 'DELETE FROM login_failures WHERE key = $1', [key]);
  }
}
