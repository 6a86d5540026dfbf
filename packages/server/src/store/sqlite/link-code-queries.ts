import type Database from 'better-sqlite3';
import type { Device, User } from '../../chat/model.js';
import { ParleyError } from '../../chat/parley-error.js';
import { assert } from '../../lib/assert.js';
import type { NewDevice, NewLinkCode } from '../../chat/store-port.js';
import type { AccountQueries } from './account-queries.js';

/**
 * Link codes: a signed-in device vouches for a new one, which joins the user
 * without a password. Stored by hash, like tokens, so a copy of the database
 * holds no usable code.
 */
export class LinkCodeQueries {
  private readonly deleteExpired;
  private readonly insertCode;
  private readonly selectCode;
  private readonly deleteCode;

  constructor(
    db: Database.Database,
    private readonly accounts: AccountQueries,
  ) {
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

  /**
   * Must run inside a transaction. The device limit is checked (by
   * `createDevice`) before the code is deleted, so a refused redemption
   * leaves the code usable once a device has been revoked.
   */
  redeemLinkCode(codeHash: Buffer, device: Omit<NewDevice, 'userId'>, maxDevices: number): { device: Device; user: User } {
    const code = this.selectCode.get(codeHash);
    if (code === undefined || code.expires_at <= device.createdAt) {
      throw new ParleyError('unauthorized', 'invalid or expired link code');
    }
    const created = this.accounts.createDevice({ ...device, userId: code.user_id }, maxDevices);
    this.deleteCode.run(codeHash);
    const user = this.accounts.getUser(code.user_id);
    assert(user !== undefined, `the user of link code for device ${device.id} exists`);
    return { device: created, user };
  }
}
