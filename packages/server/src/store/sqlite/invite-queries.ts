import type Database from 'better-sqlite3';
import type { User } from '../../chat/model.js';
import { ParleyError } from '../../chat/parley-error.js';
import type { NewInvite, NewUser } from '../store.js';
import type { AccountQueries } from './account-queries.js';

/** Invite codes, stored by hash like tokens, so a copy of the database holds no usable code. */
export class InviteQueries {
  private readonly insertInvite;
  private readonly spendUse;
  private readonly deleteSpent;

  constructor(
    db: Database.Database,
    private readonly accounts: AccountQueries,
  ) {
    this.insertInvite = db.prepare<[NewInvite]>(
      'INSERT INTO invites (code_hash, uses_left, created_at, expires_at) VALUES (@codeHash, @uses, @createdAt, @expiresAt)',
    );
    this.spendUse = db.prepare<[Buffer, number]>(
      'UPDATE invites SET uses_left = uses_left - 1 WHERE code_hash = ? AND uses_left > 0 AND (expires_at IS NULL OR expires_at > ?)',
    );
    this.deleteSpent = db.prepare<[number]>('DELETE FROM invites WHERE uses_left = 0 OR expires_at <= ?');
  }

  /** Also sweeps the codes used up or expired by now: nothing reads them again. */
  createInvite(invite: NewInvite): void {
    this.deleteSpent.run(invite.createdAt);
    this.insertInvite.run(invite);
  }

  /** Must run inside a transaction: a taken username throws after the use is spent, which rolls it back. */
  createInvitedUser(user: NewUser, inviteHash: Buffer): User {
    if (this.spendUse.run(inviteHash, user.createdAt).changes === 0) {
      throw new ParleyError('forbidden', 'the invite code is wrong, used up or expired');
    }
    return this.accounts.createUser(user);
  }
}
