import type Database from 'better-sqlite3';
import type { NewLinkCode } from '../../chat/store-port.js';

/**
 * The rows of link codes (see chat/account-rules.ts): a signed-in device
 * vouches for a new one, which joins the user without a password. Stored by
 * hash, like tokens, so a copy of the database holds no usable code.
 */
export class LinkCodeQueries {
  private readonly deleteExpired;
  private readonly insertCode;
  private readonly selectCode;
  private readonly deleteCode;

  constructor(db: Database.Database) {
    this.deleteExpired = db.prepare<[number]>('DELETE FROM link_codes WHERE expires_at <= ?');
    this.insertCode = db.prepare<[NewLinkCode]>(
      `INSERT INTO link_codes (code_hash, user_id, created_by, created_at, expires_at)
       VALUES (@codeHash, @userId, @createdBy, @createdAt, @expiresAt)`,
    );
    this.selectCode = db.prepare<[Buffer], { user_id: string; expires_at: number }>(
      'SELECT user_id, expires_at FROM link_codes WHERE code_hash = ?',
    );
    this.deleteCode = db.prepare<[Buffer]>('DELETE FROM link_codes WHERE code_hash = ?');
  }

  /** Also sweeps the codes expired by now: nothing else ever reads them again. */
  createLinkCode(code: NewLinkCode): void {
    this.deleteExpired.run(code.createdAt);
    this.insertCode.run(code);
  }

  linkCode(codeHash: Buffer): { userId: string; expiresAt: number } | undefined {
    const row = this.selectCode.get(codeHash);
    return row === undefined ? undefined : { userId: row.user_id, expiresAt: row.expires_at };
  }

  deleteLinkCode(codeHash: Buffer): void {
    this.deleteCode.run(codeHash);
  }
}
