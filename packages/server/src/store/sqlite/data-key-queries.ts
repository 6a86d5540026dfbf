import type Database from 'better-sqlite3';
import type { DataKeyRows } from '../../keys/data-keys.js';
import type { WrappedDataKey } from '../../keys/key-ring.js';
import { resealPushTarget } from '../../keys/push-target-json.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import type { MessageRow } from './rows.js';
import { messageColumns } from './rows.js';

/** The rows of data keys (see keys/data-keys.ts), and moving old rows to the active key. */
export class DataKeyQueries implements DataKeyRows {
  private readonly selectKeys;
  private readonly selectActiveKey;
  private readonly deactivateAll;
  private readonly insertKey;
  private readonly selectStaleMessages;
  private readonly updateBody;
  private readonly selectStaleTargets;
  private readonly updateTarget;

  constructor(private readonly db: Database.Database) {
    this.selectKeys = db.prepare<[], { id: number; wrapped: Buffer; active: number }>('SELECT id, wrapped, active FROM data_keys ORDER BY id');
    this.selectActiveKey = db.prepare<[], { id: number; wrapped: Buffer }>('SELECT id, wrapped FROM data_keys WHERE active = 1');
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

  listKeys(): (WrappedDataKey & { active: boolean })[] {
    return this.selectKeys.all().map((row) => ({ id: row.id, wrapped: row.wrapped, active: row.active === 1 }));
  }

  activeKey(): WrappedDataKey | undefined {
    return this.selectActiveKey.get();
  }

  insertActiveKey(key: WrappedDataKey, createdAt: number): void {
    this.db.transaction(() => {
      this.deactivateAll.run();
      this.insertKey.run({ ...key, createdAt });
    }).immediate();
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
