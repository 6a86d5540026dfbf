import type Database from 'better-sqlite3';

/** Password changes: a new hash, and every other device of the user signed out. */
export class CredentialQueries {
  private readonly updatePasswordHash;
  private readonly selectOtherDevices;
  private readonly deleteOtherDevices;

  constructor(db: Database.Database) {
    this.updatePasswordHash = db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?');
    this.selectOtherDevices = db.prepare<[string, string], { id: string }>('SELECT id FROM devices WHERE user_id = ? AND id <> ?');
    this.deleteOtherDevices = db.prepare<[string, string]>('DELETE FROM devices WHERE user_id = ? AND id <> ?');
  }

  setPasswordHash(userId: string, passwordHash: string): void {
    this.updatePasswordHash.run(passwordHash, userId);
  }

  revokeOtherDevices(userId: string, keepDeviceId: string): string[] {
    const revoked = this.selectOtherDevices.all(userId, keepDeviceId).map((row) => row.id);
    this.deleteOtherDevices.run(userId, keepDeviceId);
    return revoked;
  }
}
