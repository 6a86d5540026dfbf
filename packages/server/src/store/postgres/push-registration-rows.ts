import type { PushRegistration, PushTarget } from '../../chat/push-model.js';
import { hashPushTarget, openPushTarget, sealPushTarget } from '../../keys/push-target-json.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import { query, rowOf, rowsOf, type Queryable } from './sql.js';

interface RegistrationRow {
  device_id: string;
  user_id: string;
  target: Buffer;
  key_id: number;
  created_at: number;
}

/** Push registrations (one per device) and mutes; a registration and its jobs go with their device. */
export class PushRegistrationRows {
  constructor(
    private readonly sql: Queryable,
    private readonly cipher: RowCipher,
  ) {}

  /** See `PushStore.setPushRegistration`; the device must be the user's (checked before). */
  async set(registration: PushRegistration): Promise<void> {
    const { provider } = registration.target;
    const stored = sealPushTarget(this.cipher, registration.deviceId, registration.target);
    // One phone (or browser) answers to one device: a token that moved to a new login leaves the old one.
    const moved = await rowsOf<{ device_id: string }>(
      this.sql,
      'DELETE FROM push_registrations WHERE provider = $1 AND address_hash = $2 AND device_id <> $3 RETURNING device_id',
      [provider, stored.address_hash, registration.deviceId],
    );
    if (moved.length > 0) {
      await query(this.sql, 'DELETE FROM push_jobs WHERE device_id = ANY($1::text[])', [moved.map((row) => row.device_id)]);
    }
    await query(
      this.sql,
      `INSERT INTO push_registrations (device_id, user_id, provider, address_hash, target_hash, target, key_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (device_id) DO UPDATE SET
         provider = excluded.provider, address_hash = excluded.address_hash, target_hash = excluded.target_hash,
         target = excluded.target, key_id = excluded.key_id, created_at = excluded.created_at`,
      [registration.deviceId, registration.userId, provider, stored.address_hash, stored.target_hash, stored.target, stored.key_id, registration.createdAt],
    );
  }

  async get(deviceId: string): Promise<PushRegistration | undefined> {
    const row = await rowOf<RegistrationRow>(
      this.sql,
      'SELECT device_id, user_id, target, key_id, created_at FROM push_registrations WHERE device_id = $1',
      [deviceId],
    );
    if (row === undefined) return undefined;
    return { deviceId: row.device_id, userId: row.user_id, target: openPushTarget(this.cipher, row.device_id, row), createdAt: row.created_at };
  }

  /** See `PushStore.removePushRegistration`. */
  async remove(deviceId: string, target?: PushTarget): Promise<boolean> {
    const targetHash = target === undefined ? null : hashPushTarget(target);
    const removed = await query(this.sql, 'DELETE FROM push_registrations WHERE device_id = $1 AND ($2::bytea IS NULL OR target_hash = $2)', [
      deviceId,
      targetHash,
    ]);
    if ((removed.rowCount ?? 0) === 0) return false;
    await query(this.sql, 'DELETE FROM push_jobs WHERE device_id = $1', [deviceId]);
    return true;
  }

  /** See `PushStore.setMute`; the user must be a current member (checked before). */
  async setMute(conversationId: string, userId: string, until: number | null): Promise<void> {
    await query(this.sql, 'UPDATE members SET muted_until = $3 WHERE conversation_id = $1 AND user_id = $2', [conversationId, userId, until]);
  }
}
