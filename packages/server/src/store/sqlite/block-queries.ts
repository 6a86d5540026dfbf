import type Database from 'better-sqlite3';

/** Who blocked whom. */
export class BlockQueries {
  private readonly insertBlock;
  private readonly deleteBlock;
  private readonly selectBlocked;
  private readonly selectRelated;
  private readonly selectBlocksSenderIn;

  constructor(db: Database.Database) {
    this.insertBlock = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)');
    this.deleteBlock = db.prepare<[string, string]>('DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?');
    this.selectBlocked = db.prepare<[string], { blocked_id: string }>('SELECT blocked_id FROM blocks WHERE user_id = ? ORDER BY blocked_id');
    this.selectRelated = db.prepare<[string, string], { id: string }>(
      'SELECT blocked_id AS id FROM blocks WHERE user_id = ? UNION SELECT user_id AS id FROM blocks WHERE blocked_id = ?',
    );
    // The other member of a direct conversation, if they blocked the sender.
    this.selectBlocksSenderIn = db.prepare<[{ conversationId: string; senderId: string }], { user_id: string }>(
      `SELECT b.user_id FROM blocks b
       JOIN members m ON m.user_id = b.user_id AND m.conversation_id = @conversationId
       JOIN conversations c ON c.id = @conversationId AND c.kind = 'direct'
       WHERE b.blocked_id = @senderId`,
    );
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

  /** True when the sender is blocked by the other member of this direct conversation. */
  isWithheld(conversationId: string, senderId: string): boolean {
    return this.selectBlocksSenderIn.get({ conversationId, senderId }) !== undefined;
  }
}
