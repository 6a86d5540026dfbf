import { KeyRing, newWrappedDataKey, type WrappedDataKey } from './key-ring.js';

/** The rows of data keys, as an adapter stores them. */
export interface DataKeyRows {
  /** Every data key, wrapped, with whether new writes use it. */
  listKeys(): (WrappedDataKey & { active: boolean })[];
  /** The data key new writes use, as the database says now (another process may have rotated). */
  activeKey(): WrappedDataKey | undefined;
  /** Stores `key` as the one key new writes use, in one transaction with making the others inactive. */
  insertActiveKey(key: WrappedDataKey, createdAt: number): void;
}

/** How long a running server trusts its idea of the active key: `parley keys rotate` runs in another process. */
const activeKeyRecheckMs = 5_000;

/**
 * The data keys of one database under the master key, for any adapter: the
 * first is made on a fresh database, a rotation adds one that new writes
 * use, and a running server follows a rotation made by another process.
 */
export class DataKeys {
  private activeCheckedAtMs = 0;

  private constructor(
    private readonly rows: DataKeyRows,
    private readonly masterKey: Buffer,
    readonly ring: KeyRing,
  ) {}

  /** Unlocks the database's data keys, making the first on a fresh database. A wrong master key throws. */
  static open(rows: DataKeyRows, masterKey: Buffer, nowMs: number): DataKeys {
    if (rows.listKeys().length === 0) rows.insertActiveKey(newWrappedDataKey(masterKey, 1), nowMs);
    const keys = rows.listKeys();
    const active = keys.find((key) => key.active);
    if (active === undefined) throw new Error('no active data key');
    return new DataKeys(rows, masterKey, new KeyRing(masterKey, keys, active.id));
  }

  /** Stores a new data key for new writes (ids count up from 1). Returns its id; `follow` makes this ring use it. */
  rotate(nowMs: number): number {
    const id = Math.max(0, ...this.rows.listKeys().map((key) => key.id)) + 1;
    this.rows.insertActiveKey(newWrappedDataKey(this.masterKey, id), nowMs);
    return id;
  }

  /** Follows a rotation made by another process, at most every few seconds unless forced. */
  follow(nowMs: number, force = false): void {
    if (!force && nowMs - this.activeCheckedAtMs < activeKeyRecheckMs) return;
    this.activeCheckedAtMs = nowMs;
    const active = this.rows.activeKey();
    if (active !== undefined && active.id !== this.ring.activeKeyId) this.ring.add(active, true);
  }
}
