import type Database from 'better-sqlite3';
import type { InviteTransaction } from '../../chat/invite-rule.js';
import type { NewInvite } from '../../chat/store-port.js';

/** Invite codes, stored by hash like tokens, so a copy of the database holds no usable code. */
export class InviteQueries implements InviteTransaction {
  private readonly insertInvite;
  private readonly selectInvite;
  private readonly spendUse;
  private readonly deleteSpent;

  constructor(db: Database.Database) {
    this.insertInvite = db.prepare<[NewInvite]>(
      'INSERT INTO invites (code_hash, uses_left, created_at, expires_at) VALUES (@codeHash, @uses, @createdAt, @expiresAt)',
    );
    this.selectInvite = db.prepare<[Buffer], { uses_left: number; expires_at: number | null }>(
      'SELECT uses_left, expires_at FROM invites WHERE code_hash = ?',
    );
    this.spendUse = db.prepare<[Buffer]>('UPDATE invites SET uses_left = uses_left - 1 WHERE code_hash = ?');
    this.deleteSpent = db.prepare<[number]>('DELETE FROM invites WHERE uses_left = 0 OR expires_at <= ?');
  }

  /** Also sweeps the codes used up or expired by now: nothing reads them again. */
  createInvite(invite: NewInvite): void {
    this.deleteSpent.run(invite.createdAt);
    this.insertInvite.run(invite);
  }

  invite(codeHash: Buffer): { usesLeft: number; expiresAt: number | null } | undefined {
    const row = this.selectInvite.get(codeHash);
    return row === undefined ? undefined : { usesLeft: row.uses_left, expiresAt: row.expires_at };
  }

  spendInviteUse(codeHash: Buffer): void {
    this.spendUse.run(codeHash);
  }
}
