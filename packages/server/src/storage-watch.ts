import { statfs } from 'node:fs/promises';

/** The storage part of `/readyz`. */
export type StorageStatus = 'ready' | 'disk_full' | 'storage_unavailable';

export interface StorageWatchOptions {
  dataDir: string;
  /** Below this many free bytes on the data dir's file system the node is not ready (`disk_full`). */
  freeBytesMin: number;
  /** How often the free space is measured, and the store probed while it cannot write. */
  checkIntervalMs: number;
  /** How long a check waits for the store's test write before counting it as failed. */
  probeTimeoutMs: number;
  /** Told once when an outage starts: the storage error of the write that failed, if one did. */
  onOutage: (failure: unknown) => void;
  /** Told once when the outage ends. */
  onRecovery: () => void;
}

/** What the watch needs of the store: whether a write of a large message's size succeeds now. */
export interface WritableStore {
  canWrite(timeoutMs: number): Promise<boolean>;
}

/**
 * One view of whether the store can take writes, shared by `/readyz`, the
 * `parley_store_writable` gauge and the log, so they never disagree.
 *
 * An outage starts when a write fails for storage reasons, the free space
 * falls below `freeBytesMin`, or the data dir cannot be measured (its volume
 * is gone), and ends only when the free space is back above
 * it and the store's test write (as large as a large message) succeeded after
 * the last failure. Small writes that still fit on a nearly full disk end
 * nothing: the status would otherwise flip with every write that happens to
 * fit, and the operator would read several outages into one.
 */
export class StorageWatch {
  private store: WritableStore | undefined;
  private status: StorageStatus = 'ready';
  private checking: Promise<StorageStatus> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StorageWatchOptions) {}

  /** Starts checking `store` every `checkIntervalMs`, so recovery is seen even when no one asks. */
  watch(store: WritableStore): void {
    this.store = store;
    this.timer = setInterval(() => void this.check(), this.options.checkIntervalMs);
    this.timer.unref();
    void this.check();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A write failed for storage reasons: the outage starts now, before the next check says why. */
  writeFailed(failure: unknown): void {
    // During an outage the status measured by the checks says more (disk_full): it stays.
    if (this.status === 'ready') this.enter('storage_unavailable', failure);
    void this.check();
  }

  /** Measures the free space and, during an outage, probes the store; one check at a time. */
  check(): Promise<StorageStatus> {
    this.checking ??= this.measure().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async measure(): Promise<StorageStatus> {
    const store = this.store;
    if (store === undefined) return this.status;
    const freeBytes = await freeBytesOf(this.options.dataDir);
    if (freeBytes instanceof Error) {
      // The data dir itself is gone (an unmounted volume): no write can succeed.
      this.enter('storage_unavailable', freeBytes);
    } else if (freeBytes < this.options.freeBytesMin) {
      this.enter('disk_full');
    } else if (await store.canWrite(this.options.probeTimeoutMs)) {
      this.leave();
    } else {
      this.enter('storage_unavailable');
    }
    return this.status;
  }

  private enter(status: Exclude<StorageStatus, 'ready'>, failure?: unknown): void {
    const started = this.status === 'ready';
    this.status = status;
    if (started) this.options.onOutage(failure);
  }

  private leave(): void {
    if (this.status === 'ready') return;
    this.status = 'ready';
    this.options.onRecovery();
  }
}

async function freeBytesOf(directory: string): Promise<number | Error> {
  try {
    const stats = await statfs(directory);
    return stats.bavail * stats.bsize;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
