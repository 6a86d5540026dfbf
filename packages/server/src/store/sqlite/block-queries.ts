import type Database from 'better-sqlite3';

/** Who blocked whom. */
export class BlockQueries {
  private readonly insertBlock;
  private readonly deleteBlock;
  private readonly selectBlocked;
  private readonly selectRelated;
  private readonly selectBlockers;

  constructor(db: Database.Database) {
    this.insertBlock = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)');
    this.deleteBlock = db.prepare<[string, string]>('DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?');
    this.selectBlocked = db.prepare<[string], { blocked_id: string }>('SELECT blocked_id FROM blocks WHERE user_id = ? ORDER BY blocked_id');
    this.selectRelated = db.prepare<[string, string], { id: string }>(
      'SELECT blocked_id AS id FROM blocks WHERE user_id = ? UNION SELECT user_id AS id FROM blocks WHERE blocked_id = ?',
    );
    this.selectBlockers = db.prepare<[string], { user_id: string }>('SELECT user_id FROM blocks WHERE blocked_id = ?');
  }

  block(userId: string, blockedId: string, at: number): void {
    this.insertBlock.run(userId, blockedId, at);
  }

  unblock(userId: string, blockedId: string): void {
    this.deleteBlock.run(userId, blockedId);
  }

  listBlocked(userId: string): string[] {
    return this.selectBlocked.all(userId).map((row) => row.blocked_id);
  }

  /** Users who blocked `userId` or whom `userId` blocked. */
  listRelated(userId: string): string[] {
    return this.selectRelated.all(userId, userId).map((row) => row.id);
  }

  blockersOf(userId: string): string[] {
    return this.selectBlockers.all(userId).map((row) => row.user_id);
  }
}
