import type Database from 'better-sqlite3';

/** What presence needs from the store: when a user was last online, and who is told about it. */
export class PresenceQueries {
  private readonly updateLastSeenAt;
  private readonly selectDirectPeers;

  constructor(db: Database.Database) {
    // Never moved back: two nodes may report the same user going offline, and
    // the later of the two is the true last sighting.
    this.updateLastSeenAt = db.prepare<[{ userId: string; at: number }]>(
      'UPDATE users SET last_seen_at = max(coalesce(last_seen_at, @at), @at) WHERE id = @userId',
    );
    this.selectDirectPeers = db.prepare<[string], { user_id: string }>(
      `SELECT DISTINCT peer.user_id
       FROM members me
       JOIN conversations c ON c.id = me.conversation_id AND c.kind = 'direct'
       JOIN members peer ON peer.conversation_id = me.conversation_id AND peer.user_id <> me.user_id
       WHERE me.user_id = ? AND me.left_at_seq IS NULL AND peer.left_at_seq IS NULL
       ORDER BY peer.user_id`,
    );
  }

  setLastSeenAt(userId: string, at: number): void {
    this.updateLastSeenAt.run({ userId, at });
  }

  listDirectPeers(userId: string): string[] {
    return this.selectDirectPeers.all(userId).map((row) => row.user_id);
  }
}
