import type Database from 'better-sqlite3';
import { assert } from '../../lib/assert.js';
import type { DataKeyRows } from '../../keys/data-keys.js';
import type { WrappedDataKey } from '../../keys/key-ring.js';
import { resealPushTarget } from '../../keys/push-target-json.js';
import type { ReencryptStep } from '../../chat/store-port.js';
import { UnreadableValueError, type RowCipher } from '../../keys/row-cipher.js';
import type { MessageRow } from '../rows.js';
import { messageColumns } from './columns.js';

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
    this.selectStaleTargets = db.prepare<[{ afterDevice: string; activeId: number; limit: number }], { device_id: string; target: Buffer; key_id: number }>(
      `SELECT device_id, target, key_id FROM push_registrations
       WHERE device_id > @afterDevice AND key_id <> 0 AND key_id <> @activeId ORDER BY device_id LIMIT @limit`,
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

  /**
   * Re-seals up to `limit` rows sealed with an older key: messages in rowid
   * order, then push targets in device order. `from` is the cursor a previous
   * step returned (`messages:<rowid>`, `targets:<device id>`), so rows left
   * behind as unreadable are passed, not read again.
   */
  reencryptBatch(cipher: RowCipher, activeId: number, limit: number, from = 'messages:0'): ReencryptStep {
    const [part, after = ''] = splitCursor(from);
    const step: ReencryptStep = { moved: 0, unreadable: [], next: undefined };
    if (part === 'messages') {
      const rows = this.selectStaleMessages.all({ afterRowid: Number(after), activeId, limit });
      for (const row of rows) {
        const resealed = unlessUnreadable(() => cipher.sealBody(cipher.openBody(row), row.conversation_id, row.seq));
        if (resealed === undefined) step.unreadable.push(`message ${row.conversation_id}#${row.seq}`);
        else this.updateBody.run({ rowid: row.rowid, ...resealed });
      }
      step.moved = rows.length - step.unreadable.length;
      step.next = rows.length === limit ? `messages:${rows.at(-1)?.rowid}` : 'targets:';
      return step;
    }
    const targets = this.selectStaleTargets.all({ afterDevice: after, activeId, limit });
    for (const row of targets) {
      const resealed = unlessUnreadable(() => resealPushTarget(cipher, row.device_id, row));
      if (resealed === undefined) step.unreadable.push(`push target of device ${row.device_id}`);
      else this.updateTarget.run({ device_id: row.device_id, ...resealed });
    }
    step.moved = targets.length - step.unreadable.length;
    step.next = targets.length === limit ? `targets:${targets.at(-1)?.device_id}` : undefined;
    return step;
  }
}

function splitCursor(cursor: string): [string, string | undefined] {
  const colon = cursor.indexOf(':');
  const part = cursor.slice(0, colon);
  assert(colon > 0 && (part === 'messages' || part === 'targets'), `a re-encryption cursor is messages:<rowid> or targets:<device id>, got ${cursor}`);
  return [part, cursor.slice(colon + 1)];
}

/** The value `reseal` returns, or undefined when the row cannot be decrypted; any other error is passed on. */
function unlessUnreadable<T>(reseal: () => T): T | undefined {
  try {
    return reseal();
  } catch (error) {
    if (error instanceof UnreadableValueError) return undefined;
    throw error;
  }
}
