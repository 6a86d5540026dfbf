import type Database from 'better-sqlite3';
import type { PushRegistration, PushTarget } from '../../chat/push-model.js';
import { hashPushTarget, openPushTarget, sealPushTarget, type StoredPushTarget } from '../../keys/push-target-json.js';
import type { RowCipher } from '../../keys/row-cipher.js';

interface RegistrationRow {
  device_id: string;
  user_id: string;
  target: Buffer;
  key_id: number;
  created_at: number;
}

/**
 * Push registrations (one per device) and mutes. A registration and its jobs
 * go with their device: the foreign keys cascade when a device is revoked.
 */
export class PushRegistrationQueries {
  private readonly deleteSameAddress;
  private readonly upsertRegistration;
  private readonly selectRegistration;
  private readonly deleteRegistration;
  private readonly deleteJobsOfDevice;
  private readonly updateMute;

  constructor(
    db: Database.Database,
    private readonly cipher: RowCipher,
  ) {
    this.deleteSameAddress = db.prepare<[{ provider: string; address_hash: Buffer; deviceId: string }], { device_id: string }>(
      `DELETE FROM push_registrations WHERE provider = @provider AND address_hash = @address_hash AND device_id <> @deviceId
       RETURNING device_id`,
    );
    this.upsertRegistration = db.prepare<[StoredPushTarget & { deviceId: string; userId: string; provider: string; createdAt: number }]>(
      `INSERT INTO push_registrations (device_id, user_id, provider, address_hash, target_hash, target, key_id, created_at)
       VALUES (@deviceId, @userId, @provider, @address_hash, @target_hash, @target, @key_id, @createdAt)
       ON CONFLICT (device_id) DO UPDATE SET
         provider = excluded.provider, address_hash = excluded.address_hash, target_hash = excluded.target_hash,
         target = excluded.target, key_id = excluded.key_id, created_at = excluded.created_at`,
    );
    this.selectRegistration = db.prepare<[string], RegistrationRow>(
      'SELECT device_id, user_id, target, key_id, created_at FROM push_registrations WHERE device_id = ?',
    );
    this.deleteRegistration = db.prepare<[{ deviceId: string; targetHash: Buffer | null }]>(
      `DELETE FROM push_registrations
       WHERE device_id = @deviceId AND (@targetHash IS NULL OR target_hash = @targetHash)`,
    );
    this.deleteJobsOfDevice = db.prepare<[string]>('DELETE FROM push_jobs WHERE device_id = ?');
    this.updateMute = db.prepare<[{ conversationId: string; userId: string; until: number | null }]>(
      'UPDATE members SET muted_until = @until WHERE conversation_id = @conversationId AND user_id = @userId',
    );
  }

  /** See `PushStore.setPushRegistration`; the device must be the user's (checked before). */
  set(registration: PushRegistration): void {
    const { provider } = registration.target;
    const stored = sealPushTarget(this.cipher, registration.deviceId, registration.target);
    // One phone (or browser) answers to one device: a token that moved to a new login leaves the old one.
    for (const moved of this.deleteSameAddress.all({ provider, address_hash: stored.address_hash, deviceId: registration.deviceId })) {
      this.deleteJobsOfDevice.run(moved.device_id);
    }
    this.upsertRegistration.run({
      ...stored,
      deviceId: registration.deviceId,
      userId: registration.userId,
      provider,
      createdAt: registration.createdAt,
    });
  }

  get(deviceId: string): PushRegistration | undefined {
    const row = this.selectRegistration.get(deviceId);
    if (row === undefined) return undefined;
    const target = openPushTarget(this.cipher, row.device_id, row);
    return { deviceId: row.device_id, userId: row.user_id, target, createdAt: row.created_at };
  }

  /** See `PushStore.removePushRegistration`. */
  remove(deviceId: string, target?: PushTarget): boolean {
    const targetHash = target === undefined ? null : hashPushTarget(target);
    if (this.deleteRegistration.run({ deviceId, targetHash }).changes === 0) return false;
    this.deleteJobsOfDevice.run(deviceId);
    return true;
  }

  /** See `PushStore.setMute`; the user must be a current member (checked before). */
  setMute(conversationId: string, userId: string, until: number | null): void {
    this.updateMute.run({ conversationId, userId, until });
  }
}
