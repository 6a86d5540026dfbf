import type { ReencryptStep } from '../../chat/store-port.js';
import type { DataKeyRows } from '../../keys/data-keys.js';
import type { WrappedDataKey } from '../../keys/key-ring.js';
import { resealPushTarget } from '../../keys/push-target-json.js';
import { UnreadableValueError, type RowCipher } from '../../keys/row-cipher.js';
import { assert } from '../../lib/assert.js';
import type { MessageRow } from '../rows.js';
import { messageColumns } from './columns.js';
import { query, rowsOf, type Queryable } from './sql.js';

/** Our own constant: a node's first start and `parley keys rotate` take turns on it. */
const dataKeyLockKey = 0x7061726b; // 'park'

/**
 * The data keys as `DataKeys` (keys/data-keys.ts) reads them: synchronously,
 * from a copy loaded from the database (`load`), keys it inserts written
 * back by `save` in the caller's transaction, and seen by `activeKey` once
 * loaded again after the commit. The store reloads the copy every few
 * seconds, so a running node follows a rotation made elsewhere.
 */
export class DataKeySnapshot implements DataKeyRows {
  /** As last loaded: what `activeKey` answers, so a node never follows a key whose transaction may yet roll back. */
  private loaded: (WrappedDataKey & { active: boolean })[] = [];
  /** As loaded, with the keys inserted since. */
  private keys: (WrappedDataKey & { active: boolean })[] = [];
  private unsaved: { key: WrappedDataKey; createdAt: number }[] = [];

  listKeys(): (WrappedDataKey & { active: boolean })[] {
    return this.keys.map((key) => ({ ...key }));
  }

  activeKey(): WrappedDataKey | undefined {
    const active = this.loaded.find((key) => key.active);
    return active === undefined ? undefined : { id: active.id, wrapped: active.wrapped };
  }

  insertActiveKey(key: WrappedDataKey, createdAt: number): void {
    this.keys = [...this.keys.map((known) => ({ ...known, active: false })), { ...key, active: true }];
    this.unsaved.push({ key, createdAt });
  }

  /** Inside a transaction, takes the data keys' advisory lock first: the copy stays true until it commits. */
  async loadLocked(sql: Queryable): Promise<void> {
    await query(sql, 'SELECT pg_advisory_xact_lock($1)', [dataKeyLockKey]);
    await this.load(sql);
  }

  async load(sql: Queryable): Promise<void> {
    this.loaded = await rowsOf<WrappedDataKey & { active: boolean }>(sql, 'SELECT id, wrapped, active FROM data_keys ORDER BY id');
    this.keys = this.loaded;
    this.unsaved = [];
  }

  async save(sql: Queryable): Promise<void> {
    for (const { key, createdAt } of this.unsaved) {
      await query(sql, 'UPDATE data_keys SET active = false WHERE active');
      await query(sql, 'INSERT INTO data_keys (id, wrapped, created_at, active) VALUES ($1, $2, $3, true)', [key.id, key.wrapped, createdAt]);
    }
    this.unsaved = [];
  }
}

/**
 * Re-seals up to `limit` rows sealed with an older key: messages in
 * (conversation, seq) order, then push targets in device order. `from` is
 * the cursor a previous step returned (`messages:<seq>:<conversation id>`,
 * `targets:<device id>`), so rows left behind as unreadable are passed.
 */
export async function reencryptBatch(sql: Queryable, cipher: RowCipher, activeId: number, limit: number, from = 'messages:0:'): Promise<ReencryptStep> {
  const [part, after] = splitCursor(from);
  const step: ReencryptStep = { moved: 0, unreadable: [], next: undefined };
  if (part === 'messages') {
    const colon = after.indexOf(':');
    const afterSeq = Number(after.slice(0, colon));
    const afterConversation = after.slice(colon + 1);
    const rows = await rowsOf<MessageRow>(
      sql,
      `SELECT ${messageColumns} FROM messages
       WHERE (conversation_id, seq) > ($1, $2) AND key_id <> 0 AND key_id <> $3
       ORDER BY conversation_id, seq LIMIT $4`,
      [afterConversation, afterSeq, activeId, limit],
    );
    for (const row of rows) {
      const resealed = unlessUnreadable(() => cipher.sealBody(cipher.openBody(row), row.conversation_id, row.seq));
      if (resealed === undefined) step.unreadable.push(`message ${row.conversation_id}#${row.seq}`);
      else await query(sql, 'UPDATE messages SET body = $3, key_id = $4 WHERE conversation_id = $1 AND seq = $2', [row.conversation_id, row.seq, resealed.body, resealed.key_id]);
    }
    const last = rows.at(-1);
    step.moved = rows.length - step.unreadable.length;
    step.next = rows.length === limit && last !== undefined ? `messages:${last.seq}:${last.conversation_id}` : 'targets:';
    return step;
  }
  const targets = await rowsOf<{ device_id: string; target: Buffer; key_id: number }>(
    sql,
    `SELECT device_id, target, key_id FROM push_registrations
     WHERE device_id > $1 AND key_id <> 0 AND key_id <> $2 ORDER BY device_id LIMIT $3`,
    [after, activeId, limit],
  );
  for (const row of targets) {
    const resealed = unlessUnreadable(() => resealPushTarget(cipher, row.device_id, row));
    if (resealed === undefined) step.unreadable.push(`push target of device ${row.device_id}`);
    else await query(sql, 'UPDATE push_registrations SET target = $2, key_id = $3 WHERE device_id = $1', [row.device_id, resealed.target, resealed.key_id]);
  }
  step.moved = targets.length - step.unreadable.length;
  step.next = targets.length === limit ? `targets:${targets.at(-1)?.device_id}` : undefined;
  return step;
}

function splitCursor(cursor: string): [string, string] {
  const colon = cursor.indexOf(':');
  const part = cursor.slice(0, colon);
  assert(colon > 0 && (part === 'messages' || part === 'targets'), `a re-encryption cursor is messages:<seq>:<conversation> or targets:<device id>, got ${cursor}`);
  return [part, cursor.slice(colon + 1)];
}

function unlessUnreadable<T>(reseal: () => T): T | undefined {
  try {
    return reseal();
  } catch (error) {
    if (error instanceof UnreadableValueError) return undefined;
    throw error;
  }
}
