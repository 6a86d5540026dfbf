import type { AccountTransaction } from '../../chat/account-rules.js';
import type { InviteTransaction } from '../../chat/invite-rule.js';
import type { Device, User } from '../../chat/model.js';
import type { NewDevice, NewUser, UserPatch } from '../../chat/store-port.js';
import { toAuthenticated, toDevice, toUser, type AuthenticationRow, type DeviceRow, type UserRow } from '../rows.js';
import { escapeLike } from '../escape-like.js';
import { deviceColumns, userColumns } from './columns.js';
import type { AsyncRows } from './replay-rule.js';
import { query, rowOf, rowsOf, type Queryable } from './sql.js';

/**
 * The rows of users, devices, link codes and invites (chat/account-rules.ts,
 * chat/invite-rule.ts), and the reads of them. Inside a write, the rows a
 * rule checks before it writes are locked as they are read (the user for a
 * device count, the link code, the invite), so the same check on another
 * node waits for this one's outcome instead of passing beside it.
 */
export class AccountRows implements AsyncRows<AccountTransaction & InviteTransaction> {
  constructor(private readonly sql: Queryable) {}

  async userIdByUsername(username: string): Promise<string | undefined> {
    return (await rowOf<{ id: string }>(this.sql, 'SELECT id FROM users WHERE username = $1', [username]))?.id;
  }

  async insertUser(user: NewUser): Promise<User> {
    await query(
      this.sql,
      'INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
      [user.id, user.username, user.displayName, user.passwordHash, user.createdAt],
    );
    return { id: user.id, username: user.username, displayName: user.displayName, createdAt: user.createdAt, lastSeen: 'everyone', lastSeenAt: null };
  }

  async getUser(userId: string): Promise<User | undefined> {
    const row = await rowOf<UserRow>(this.sql, `SELECT ${userColumns} FROM users WHERE id = $1`, [userId]);
    return row === undefined ? undefined : toUser(row);
  }

  async updateUser(userId: string, patch: UserPatch): Promise<User | undefined> {
    const row = await rowOf<UserRow>(
      this.sql,
      `UPDATE users SET display_name = coalesce($2, display_name), last_seen_setting = coalesce($3, last_seen_setting)
       WHERE id = $1 RETURNING ${userColumns}`,
      [userId, patch.displayName ?? null, patch.lastSeen ?? null],
    );
    return row === undefined ? undefined : toUser(row);
  }

  /** Locks the user: the device count read next stays true until this write commits. */
  async streamHead(userId: string): Promise<number | undefined> {
    return (await rowOf<{ last_pos: number }>(this.sql, 'SELECT last_pos FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]))?.last_pos;
  }

  async countDevices(userId: string): Promise<number> {
    return (await rowOf<{ count: number }>(this.sql, 'SELECT count(*) AS count FROM devices WHERE user_id = $1', [userId]))?.count ?? 0;
  }

  async insertDevice(device: NewDevice, ackedPos: number): Promise<Device> {
    const row: DeviceRow = {
      id: device.id,
      user_id: device.userId,
      name: device.name,
      created_at: device.createdAt,
      last_active_at: device.createdAt,
      acked_pos: ackedPos,
    };
    await query(
      this.sql,
      'INSERT INTO devices (id, user_id, name, token_hash, created_at, last_active_at, acked_pos) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [row.id, row.user_id, row.name, device.tokenHash, row.created_at, row.last_active_at, row.acked_pos],
    );
    return toDevice(row);
  }

  /** Locks the code: two redemptions of one code take turns, and the second finds it gone. */
  async linkCode(codeHash: Buffer): Promise<{ userId: string; expiresAt: number } | undefined> {
    const row = await rowOf<{ user_id: string; expires_at: number }>(
      this.sql,
      'SELECT user_id, expires_at FROM link_codes WHERE code_hash = $1 FOR UPDATE',
      [codeHash],
    );
    return row === undefined ? undefined : { userId: row.user_id, expiresAt: row.expires_at };
  }

  async deleteLinkCode(codeHash: Buffer): Promise<void> {
    await query(this.sql, 'DELETE FROM link_codes WHERE code_hash = $1', [codeHash]);
  }

  /** Locks the invite: its last use is spent once. */
  async invite(codeHash: Buffer): Promise<{ usesLeft: number; expiresAt: number | null } | undefined> {
    const row = await rowOf<{ uses_left: number; expires_at: number | null }>(
      this.sql,
      'SELECT uses_left, expires_at FROM invites WHERE code_hash = $1 FOR UPDATE',
      [codeHash],
    );
    return row === undefined ? undefined : { usesLeft: row.uses_left, expiresAt: row.expires_at };
  }

  async spendInviteUse(codeHash: Buffer): Promise<void> {
    await query(this.sql, 'UPDATE invites SET uses_left = uses_left - 1 WHERE code_hash = $1', [codeHash]);
  }

  async findCredentials(username: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const row = await rowOf<UserRow & { password_hash: string }>(
      this.sql,
      `SELECT ${userColumns}, password_hash FROM users WHERE username = $1`,
      [username],
    );
    return row === undefined ? undefined : { user: toUser(row), passwordHash: row.password_hash };
  }

  /** Case-insensitive prefix of username or display name, by username. */
  async searchUsers(search: string, limit: number): Promise<User[]> {
    const rows = await rowsOf<UserRow>(
      this.sql,
      `SELECT ${userColumns} FROM users WHERE username ILIKE $1 OR display_name ILIKE $1 ORDER BY username LIMIT $2`,
      [`${escapeLike(search)}%`, limit],
    );
    return rows.map(toUser);
  }

  async authenticate(tokenHash: Buffer): Promise<{ device: Device; user: User } | undefined> {
    const row = await rowOf<AuthenticationRow>(
      this.sql,
      `SELECT u.id, u.username, u.display_name, u.created_at, u.last_seen_setting, u.last_seen_at,
              d.id AS device_id, d.name AS device_name, d.created_at AS device_created_at, d.last_active_at, d.acked_pos
       FROM devices d JOIN users u ON u.id = d.user_id WHERE d.token_hash = $1`,
      [tokenHash],
    );
    if (row === undefined) return undefined;
    return toAuthenticated(row);
  }

  async getDevice(deviceId: string): Promise<Device | undefined> {
    const row = await rowOf<DeviceRow>(this.sql, `SELECT ${deviceColumns} FROM devices WHERE id = $1`, [deviceId]);
    return row === undefined ? undefined : toDevice(row);
  }

  async listDevices(userId: string): Promise<Device[]> {
    const rows = await rowsOf<DeviceRow>(this.sql, `SELECT ${deviceColumns} FROM devices WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
    return rows.map(toDevice);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await query(this.sql, 'UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
  }

  async revokeOtherDevices(userId: string, keepDeviceId: string): Promise<string[]> {
    const rows = await rowsOf<{ id: string }>(this.sql, 'DELETE FROM devices WHERE user_id = $1 AND id <> $2 RETURNING id', [userId, keepDeviceId]);
    return rows.map((row) => row.id).sort();
  }

  async revokeDevice(userId: string, deviceId: string): Promise<boolean> {
    return ((await query(this.sql, 'DELETE FROM devices WHERE id = $1 AND user_id = $2', [deviceId, userId])).rowCount ?? 0) > 0;
  }

  /** Never moved back: two nodes may report the same user going offline, and the later is the true last sighting. */
  async setLastSeenAt(userId: string, at: number): Promise<void> {
    await query(this.sql, 'UPDATE users SET last_seen_at = greatest(coalesce(last_seen_at, $2), $2) WHERE id = $1', [userId, at]);
  }

  /** Also sweeps the codes expired by now: nothing else ever reads them again. */
  async createLinkCode(code: { codeHash: Buffer; userId: string; createdBy: string; createdAt: number; expiresAt: number }): Promise<void> {
    await query(this.sql, 'DELETE FROM link_codes WHERE expires_at <= $1', [code.createdAt]);
    await query(
      this.sql,
      'INSERT INTO link_codes (code_hash, user_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [code.codeHash, code.userId, code.createdBy, code.createdAt, code.expiresAt],
    );
  }

  /** Also sweeps the codes used up or expired by now. */
  async createInvite(invite: { codeHash: Buffer; uses: number; createdAt: number; expiresAt: number | null }): Promise<void> {
    await query(this.sql, 'DELETE FROM invites WHERE uses_left = 0 OR expires_at <= $1', [invite.createdAt]);
    await query(
      this.sql,
      'INSERT INTO invites (code_hash, uses_left, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [invite.codeHash, invite.uses, invite.createdAt, invite.expiresAt],
    );
  }
}
