import type Database from 'better-sqlite3';
import type { Device, User } from '../../chat/model.js';
import type { NewDevice, NewUser, UserPatch } from '../../chat/store-port.js';
import { escapeLike } from '../escape-like.js';
import { lastPosOf } from './heads.js';
import { toAuthenticated, toDevice, toUser } from '../rows.js';
import { deviceColumns, userColumns } from './columns.js';
import type { AuthenticationRow, DeviceRow, UserRow } from '../rows.js';

/**
 * The rows of users and devices (see chat/account-rules.ts). Methods are
 * synchronous; `SqliteStore` runs the rules that write inside a group-commit
 * savepoint, which makes each check-then-insert atomic: the batch holds
 * SQLite's only write lock.
 */
export class AccountQueries {
  private readonly insertUserRow;
  private readonly selectUserIdByUsername;
  private readonly selectUser;
  private readonly selectCredentials;
  private readonly updateUserRow;
  private readonly selectUsersByPrefix;
  private readonly selectLastPos;
  private readonly selectDeviceCount;
  private readonly insertDeviceRow;
  private readonly selectDevice;
  private readonly selectDevicesOfUser;
  private readonly selectByTokenHash;
  private readonly deleteDevice;

  constructor(db: Database.Database) {
    this.insertUserRow = db.prepare<[NewUser]>(
      `INSERT INTO users (id, username, display_name, password_hash, created_at)
       VALUES (@id, @username, @displayName, @passwordHash, @createdAt)`,
    );
    this.selectUserIdByUsername = db.prepare<[string], { id: string }>('SELECT id FROM users WHERE username = ?');
    this.selectUser = db.prepare<[string], UserRow>(`SELECT ${userColumns} FROM users WHERE id = ?`);
    this.selectCredentials = db.prepare<[string], UserRow & { password_hash: string }>(
      `SELECT ${userColumns}, password_hash FROM users WHERE username = ?`,
    );
    this.updateUserRow = db.prepare<[{ id: string; displayName: string | null; lastSeen: string | null }], UserRow>(
      `UPDATE users SET display_name = coalesce(@displayName, display_name),
                        last_seen_setting = coalesce(@lastSeen, last_seen_setting)
       WHERE id = @id RETURNING ${userColumns}`,
    );
    this.selectUsersByPrefix = db.prepare<[{ pattern: string; limit: number }], UserRow>(
      `SELECT ${userColumns} FROM users
       WHERE username LIKE @pattern ESCAPE '\\' OR display_name LIKE @pattern ESCAPE '\\'
       ORDER BY username LIMIT @limit`,
    );
    this.selectLastPos = db.prepare<[string], { last_pos: number }>(`SELECT ${lastPosOf('u.id')} AS last_pos FROM users u WHERE u.id = ?`);
    this.selectDeviceCount = db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM devices WHERE user_id = ?');
    this.insertDeviceRow = db.prepare<[DeviceRow & { token_hash: Buffer }]>(
      `INSERT INTO devices (id, user_id, name, token_hash, created_at, last_active_at, acked_pos)
       VALUES (@id, @user_id, @name, @token_hash, @created_at, @last_active_at, @acked_pos)`,
    );
    this.selectDevice = db.prepare<[string], DeviceRow>(`SELECT ${deviceColumns} FROM devices WHERE id = ?`);
    this.selectDevicesOfUser = db.prepare<[string], DeviceRow>(
      `SELECT ${deviceColumns} FROM devices WHERE user_id = ? ORDER BY created_at, id`,
    );
    this.selectByTokenHash = db.prepare<[Buffer], AuthenticationRow>(
      `SELECT u.id, u.username, u.display_name, u.created_at, u.last_seen_setting, u.last_seen_at,
              d.id AS device_id, d.name AS device_name, d.created_at AS device_created_at,
              d.last_active_at, d.acked_pos
       FROM devices d JOIN users u ON u.id = d.user_id
       WHERE d.token_hash = ?`,
    );
    this.deleteDevice = db.prepare<[string, string]>('DELETE FROM devices WHERE id = ? AND user_id = ?');
  }

  userIdByUsername(username: string): string | undefined {
    return this.selectUserIdByUsername.get(username)?.id;
  }

  insertUser(user: NewUser): User {
    this.insertUserRow.run(user);
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      createdAt: user.createdAt,
      lastSeen: 'everyone',
      lastSeenAt: null,
    };
  }

  findCredentials(username: string): { user: User; passwordHash: string } | undefined {
    const row = this.selectCredentials.get(username);
    return row === undefined ? undefined : { user: toUser(row), passwordHash: row.password_hash };
  }

  getUser(id: string): User | undefined {
    const row = this.selectUser.get(id);
    return row === undefined ? undefined : toUser(row);
  }

  updateUser(id: string, patch: UserPatch): User | undefined {
    const row = this.updateUserRow.get({ id, displayName: patch.displayName ?? null, lastSeen: patch.lastSeen ?? null });
    return row === undefined ? undefined : toUser(row);
  }

  /** Case-insensitive for ASCII letters only: SQLite's LIKE folds no other case. */
  searchUsers(query: string, limit: number): User[] {
    return this.selectUsersByPrefix.all({ pattern: `${escapeLike(query)}%`, limit }).map(toUser);
  }

  streamHead(userId: string): number | undefined {
    return this.selectLastPos.get(userId)?.last_pos;
  }

  countDevices(userId: string): number {
    return this.selectDeviceCount.get(userId)?.count ?? 0;
  }

  insertDevice(device: NewDevice, ackedPos: number): Device {
    const row: DeviceRow = {
      id: device.id,
      user_id: device.userId,
      name: device.name,
      created_at: device.createdAt,
      last_active_at: device.createdAt,
      acked_pos: ackedPos,
    };
    this.insertDeviceRow.run({ ...row, token_hash: device.tokenHash });
    return toDevice(row);
  }

  authenticate(tokenHash: Buffer): { device: Device; user: User } | undefined {
    const row = this.selectByTokenHash.get(tokenHash);
    if (row === undefined) return undefined;
    return toAuthenticated(row);
  }

  getDevice(deviceId: string): Device | undefined {
    const row = this.selectDevice.get(deviceId);
    return row === undefined ? undefined : toDevice(row);
  }

  listDevices(userId: string): Device[] {
    return this.selectDevicesOfUser.all(userId).map(toDevice);
  }

  revokeDevice(userId: string, deviceId: string): boolean {
    return this.deleteDevice.run(deviceId, userId).changes > 0;
  }
}

