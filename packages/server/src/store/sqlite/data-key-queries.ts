import type Database from 'better-sqlite3';
import { KeyRing, newWrappedDataKey, type WrappedDataKey } from '../../keys/key-ring.js';
import { resealPushTarget } from '../../keys/push-target-json.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import type { MessageRow } from './rows.js';
import { messageColumns } from './rows.js';

/** How long a running server trusts its idea of the active key: `parley keys rotate` runs in another process. */
const activeKeyRecheckMs = 5_000;

/** Data keys in the database, and moving old rows to the active key. */
export class DataKeyQueries {
  private readonly selectKeys;
  private readonly selectKey;
  private readonly selectActiveId;
  private readonly deactivateAll;
  private readonly insertKey;
  private readonly selectStaleMessages;
  private readonly updateBody;
  private readonly selectStaleTargets;
  private readonly updateTarget;
  private activeCheckedAtMs = 0;

  constructor(private readonly db: Database.Database) {
    this.selectKeys = db.prepare<[], { id: number; wrapped: Buffer; active: number }>('SELECT id, wrapped, active FROM data_keys ORDER BY id');
    this.selectKey = db.prepare<[number], { id: number; wrapped: Buffer }>('SELECT id, wrapped FROM data_keys WHERE id = ?');
    this.selectActiveId = db.prepare<[], { id: number }>('SELECT id FROM data_keys WHERE active = 1');
    this.deactivateAll = db.prepare('UPDATE data_keys SET active = 0 WHERE active = 1');
    this.insertKey = db.prepare<[{ id: number; wrapped: Buffer; createdAt: number }]>(
      'INSERT INTO data_keys (id, wrapped, created_at, active) VALUES (@id, @wrapped, @createdAt, 1)',
    );
    this.selectStaleMessages = db.prepare<[{ afterRowid: number; activeId: number; limit: number }], MessageRow & { rowid: number }>(
      `SELECT rowid, ${messageColumns} FROM messages
       WHERE rowid > @afterRowid AND key_id <> 0 AND key_id <> @activeId ORDER BY rowid LIMIT @limit`,
    );
    this.updateBody = db.prepare<[{ rowid: number; body: Buffer; key_id: number }]>(
      'UPDATE messages SET body = @body, key_id = @key_id WHERE rowid = @rowid',
    );
    this.selectStaleTargets = db.prepare<[{ activeId: number; limit: number }], { device_id: string; target: Buffer; key_id: number }>(
      'SELECT device_id, target, key_id FROM push_registrations WHERE key_id <> 0 AND key_id <> @activeId LIMIT @limit',
    );
    this.updateTarget = db.prepare<[{ device_id: string; target: Buffer; key_id: number }]>(
      'UPDATE push_registrations SET target = @target, key_id = @key_id WHERE device_id = @device_id',
    );
  }

  /** The key ring of this database under `masterKey`, making the first data key on a fresh database. */
  openKeyRing(masterKey: Buffer, now: number): KeyRing {
    if (this.selectKeys.all().length === 0) this.rotate(masterKey, now);
    const rows = this.selectKeys.all();
    const active = rows.find((row) => row.active === 1);
    if (active === undefined) throw new Error('no active data key');
    return new KeyRing(masterKey, rows, active.id);
  }

  /** Makes a new data key and the one new writes use. Returns its id. */
  rotate(masterKey: Buffer, now: number): number {
    const nextId = Math.max(0, ...this.selectKeys.all().map((row) => row.id)) + 1;
    const key: WrappedDataKey = newWrappedDataKey(masterKey, nextId);
    this.db.transaction(() => {
      this.deactivateAll.run();
      this.insertKey.run({ ...key, createdAt: now });
    }).immediate();
    return nextId;
  }

  /** Follows a rotation made by another process, at most every few seconds unless forced. */
  refreshActiveKey(ring: KeyRing, nowMs: number, force = false): void {
    if (!force && nowMs - this.activeCheckedAtMs < activeKeyRecheckMs) return;
    this.activeCheckedAtMs = nowMs;
    const activeId = this.selectActiveId.get()?.id;
    if (activeId === undefined || activeId === ring.activeKeyId) return;
    const key = this.selectKey.get(activeId);
    if (key !== undefined) ring.add(key, true);
  }

  /** Re-seals up to `limit` rows (messages, then push targets) sealed with an older key; returns how many, 0 when none are left. */
  reencryptBatch(cipher: RowCipher, activeId: number, limit: number): number {
    const rows = this.selectStaleMessages.all({ afterRowid: 0, activeId, limit });
    for (const row of rows) {
      const bodyJson = cipher.openBody(row);
      this.updateBody.run({ rowid: row.rowid, ...cipher.sealBody(bodyJson, row.conversation_id, row.seq) });
    }
    if (rows.length > 0) return rows.length;
    const targets = this.selectStaleTargets.all({ activeId, limit });
    for (const row of targets) this.updateTarget.run({ device_id: row.device_id, ...resealPushTarget(cipher, row.device_id, row) });
    return targets.length;
  }
}
