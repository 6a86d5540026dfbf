import type Database from 'better-sqlite3';
import { assert } from '../../lib/assert.js';
import { ParleyError } from '../../chat/parley-error.js';
import { isBusy, isTransientStorageError, toStoreError, toSyncFailure, unavailableRetryAfterMs } from './storage-failure.js';

interface QueuedWrite {
  /** Runs the operation in the batch transaction; `isolated`: in a savepoint of its own. */
  execute(isolated: boolean): void;
  /** Forgets that it ran: its batch was rolled back whole and runs again. */
  reset(): void;
  /** Whether `execute` ran (a batch that failed at BEGIN ran none). */
  readonly started: boolean;
  /** Whether the operation failed with a transient storage error (disk full, I/O). */
  readonly failedTransiently: boolean;
  /** Whether the operation threw, so its savepoint was rolled back. */
  readonly failed: boolean;
  /** The batch committed and its sync completed: resolve, or reject with the operation's own error. */
  settle(): void;
  /** The batch did not commit, or its sync failed: reject with the operation's own error, else with `batchError`. */
  abort(batchError: unknown): void;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /** Writes one transaction holds at most. */
  maxWrites: number;
  /**
   * How long a batch waits for a write lock held by another process
   * (retried on timers, never by blocking the event loop) before its writes
   * fail with `unavailable`.
   */
  busyTimeoutMs: number;
  /**
   * Makes every transaction committed before it started durable: the WAL's
   * fdatasync, which runs off the event loop (`WalFile.sync`).
   */
  syncWal: () => Promise<void>;
  /** Told after each batch: the transient storage error that failed it (its commit or its sync), or undefined when the store wrote. */
  onOutcome?: (failure: unknown) => void;
  /** Milliseconds, for measuring the wait for a lock. */
  now: () => number;
  /**
   * The least time from the start of one sync to the start of the next
   * (default 0). Each sync costs the kernel about the same whatever it
   * carries; at a low, steady rate every write would pay one, so the writes
   * of this short window share it instead.
   */
  minSyncIntervalMs?: number;
  /**
   * Told, synchronously and before any other write runs, that some of what
   * writes did was rolled back (a write threw and its savepoint was rolled
   * back, or a batch was rolled back whole): state a write keeps outside the
   * database must be dropped. Inside a batch the call comes between one write
   * and the next, in the open transaction: the next write must not build on
   * what the rolled-back one left in memory (a log it thought moved, a head it
   * moved on).
   */
  onRolledBack?: () => void;
}

/**
 * Transactions of `maxWrites` that may queue while the database is locked or
 * a sync is slow; more are refused at once. A closed loop of 1,000 devices
 * with four sends in flight each, and their acks, queues about 6,000 writes
 * during one sync: that must not count as slow.
 */
const queuedBatchesMax = 64;
const retryDelayFirstMs = 2;
/** Batches that run with a savepoint per write after one was run again for a refused write: about a second's worth. */
const isolatedBatchesAfterRefusal = 100;
const retryDelayMaxMs = 100;

/**
 * Group commit: writes that arrive in the same tick, or while the previous
 * batch syncs, share one sync of the WAL (and a transaction per `maxWrites`
 * of them), so throughput does not pay one fsync per write, and the event
 * loop never waits for one.
 *
 * Guarantees:
 * - A write's promise resolves only after its batch's COMMIT returned and
 *   then a sync of the WAL that started after that COMMIT completed: a
 *   resolved write survives power loss. It rejects when either failed.
 * - At most one batch (one sync's worth of transactions) is committed but not
 *   yet durable. Writes that arrive meanwhile wait in the queue, not
 *   executed. When the sync completes, the batch settles, and the next one
 *   commits on the following `setImmediate` (or once `minSyncIntervalMs`
 *   has passed since the last sync started), so that the continuations of
 *   the settled writes run first.
 * - `whenDurable` runs a read only while nothing committed waits for its
 *   sync: no read returns a row that a power loss could still take away.
 * - A write that throws rolls back only itself and rejects only its own
 *   promise. A batch first runs without a savepoint per write: each one
 *   copies the pages it changes to a statement journal, and nearly no
 *   write throws. When one does, the whole batch is rolled back (and
 *   `onRolledBack` told) and runs again with a savepoint per write; each
 *   write that throws again is rolled back to its savepoint, and
 *   `onRolledBack` told before the next write runs. The next 100 batches
 *   run with a savepoint per write from the start, so a stream of refused
 *   writes does not run every batch twice.
 * - Writes run in the order they were enqueued, each seeing the ones before it.
 * - A transaction holds at most `maxWrites` writes; reaching it flushes at
 *   once, synchronously inside `enqueue`, unless a batch is in flight (then
 *   the whole queue commits when its sync ends, `maxWrites` per transaction).
 * - A database locked by another process never blocks the event loop: the
 *   connection does not wait for locks (busy_timeout 0); the batch is tried
 *   again on a timer, and fails with `unavailable` after `busyTimeoutMs`.
 *   Storage failures that may pass (disk full, I/O errors) reject with
 *   `unavailable` too, so clients retry instead of giving up.
 */
export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private scheduled: { cancel: () => void } | undefined;
  private lastSyncStartedAt = Number.NEGATIVE_INFINITY;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = retryDelayFirstMs;
  /** When the batch at the head of the queue first found the database locked. */
  private busySince: number | undefined;
  /**
   * From a batch's COMMIT to the turn after its sync ended: the next batch
   * waits for `flush` on that turn.
   */
  private batchInFlight = false;
  /** Settles when the sync of the committed batch ends; undefined while everything committed is durable. */
  private syncing: Promise<void> | undefined;
  private closed = false;
  /** Batches left to run with a savepoint per write from the start (see `runBatch`). */
  private isolatedBatchesLeft = 0;
  private readonly maxWrites: number;
  private readonly inSavepoint: (body: () => void) => void;
  private readonly inBatch: (writes: QueuedWrite[], isolated: boolean) => void;
  private readonly batchContext: BatchContext;

  constructor(
    private readonly db: Database.Database,
    private readonly options: GroupCommitOptions,
  ) {
    this.maxWrites = options.maxWrites;
    assert(Number.isSafeInteger(this.maxWrites) && this.maxWrites >= 1, `groupCommitMaxWrites must be a positive integer, got ${this.maxWrites}`);
    // better-sqlite3 turns a transaction function called inside a transaction into a savepoint.
    const savepoint = db.transaction((body: () => void) => body());
    this.inSavepoint = (body) => savepoint(body);
    // IMMEDIATE takes the write lock up front, so a busy database fails at BEGIN, not halfway.
    const batch = db.transaction((writes: QueuedWrite[], isolated: boolean) => writes.forEach((write) => write.execute(isolated)));
    this.inBatch = (writes, isolated) => batch.immediate(writes, isolated);
    this.batchContext = { inSavepoint: this.inSavepoint, inTransaction: () => db.inTransaction, onRolledBack: () => options.onRolledBack?.() };
  }

  /** Queues `operation` (synchronous database work) for the next batch. Rejects once closed. */
  enqueue<T>(operation: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    // Only a lock or a sync in flight lets the queue grow past one batch.
    if (this.queue.length >= this.maxWrites * queuedBatchesMax) {
      const reason = this.retryTimer === undefined ? 'the disk is slow to make writes durable' : 'the database is locked';
      return Promise.reject(new ParleyError('unavailable', `${reason}; try again later`, unavailableRetryAfterMs));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push(new QueuedOperation(this.batchContext, operation, resolve, reject));
      // The end of the batch in flight, or the lock's retry, flushes.
      if (this.batchInFlight || this.retryTimer !== undefined) return;
      if (this.queue.length >= this.maxWrites) this.flush();
      else if (this.scheduled === undefined) this.scheduleFlush();
    });
  }

  /**
   * Runs `read` (synchronous queries) at once while everything committed is
   * durable. While a batch's sync is in flight, it runs right after the sync
   * ended, before the next batch commits. Otherwise a client could be shown a
   * row that a power loss then takes away: a replayed message whose seq later
   * comes back with another body.
   */
  whenDurable<T>(read: () => T): Promise<T> {
    if (this.syncing !== undefined) return this.syncing.then(read);
    try {
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Refuses further writes, commits what is queued (without waiting for a
   * lock), and resolves once all of it has settled.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.batchInFlight) this.flush();
    while (this.batchInFlight) {
      await this.syncing;
      // The turn on which `flush` commits the next batch, or ends the last.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** On the next turn of the event loop, or once `minSyncIntervalMs` has passed since the last sync started. */
  private scheduleFlush(): void {
    this.scheduled?.cancel();
    const waitMs = this.lastSyncStartedAt + (this.options.minSyncIntervalMs ?? 0) - performance.now();
    if (waitMs > 0) {
      const timer = setTimeout(() => this.flush(), waitMs);
      this.scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(() => this.flush());
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    }
  }

  /**
   * Commits everything queued, `maxWrites` per transaction, and starts one
   * sync for all of it: a sync makes every transaction committed before it
   * durable. A batch that failed needs no sync. Waits instead while the
   * database is locked.
   */
  private flush(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    if (this.syncing !== undefined) return;
    this.batchInFlight = false;
    const committed: QueuedWrite[] = [];
    while (this.queue.length > 0 && this.retryTimer === undefined) {
      const writes = this.queue.splice(0, this.maxWrites);
      if (this.commit(writes)) committed.push(...writes);
    }
    if (committed.length > 0) this.sync(committed);
  }

  /** Runs and commits one transaction; false when it did not commit (its writes are settled or queued again). */
  private commit(writes: QueuedWrite[]): boolean {
    try {
      this.runBatch(writes);
    } catch (batchError) {
      if (isBusy(batchError) && !this.closed && writes.every((write) => !write.started) && this.waitForLock(writes)) return false;
      this.busySince = undefined;
      this.retryDelayMs = retryDelayFirstMs;
      if (writes.some((write) => write.started)) this.options.onRolledBack?.();
      writes.forEach((write) => write.abort(batchError));
      this.options.onOutcome?.(isTransientStorageError(batchError) ? batchError : undefined);
      return false;
    }
    this.busySince = undefined;
    this.retryDelayMs = retryDelayFirstMs;
    return true;
  }

  /**
   * Runs the writes in one transaction, without a savepoint each; if one of
   * them throws an error of its own (not a storage failure, which fails the
   * batch), runs the batch again from its start with a savepoint per write,
   * and the next `isolatedBatchesAfterRefusal` batches with one from the
   * start: a client that keeps sending refused writes (a send to a chat it
   * left) must not have every batch run twice.
   */
  private runBatch(writes: QueuedWrite[]): void {
    if (this.isolatedBatchesLeft > 0) {
      this.isolatedBatchesLeft -= 1;
      this.inBatch(writes, true);
      return;
    }
    try {
      this.inBatch(writes, false);
      return;
    } catch (error) {
      if (!writes.some((write) => write.failed) || isTransientStorageError(error) || isBusy(error)) throw error;
    }
    // What the writes before the one that threw did is rolled back with it.
    this.options.onRolledBack?.();
    writes.forEach((write) => write.reset());
    this.isolatedBatchesLeft = isolatedBatchesAfterRefusal;
    this.inBatch(writes, true);
  }

  /** Settles the committed `writes` once a sync of the WAL, started now, has ended. */
  private sync(writes: QueuedWrite[]): void {
    this.batchInFlight = true;
    // Monotonic: the interval must hold whatever the wall clock does.
    this.lastSyncStartedAt = performance.now();
    let ended!: () => void;
    this.syncing = new Promise<void>((resolve) => (ended = resolve));
    const endSync = () => {
      this.syncing = undefined;
      // Before the writes settle: the reads that waited run first, on the rows of this batch and no other.
      ended();
      this.scheduleFlush();
    };
    new Promise<void>((resolve) => resolve(this.options.syncWal())).then(
      () => {
        endSync();
        const transient = writes.find((write) => write.failedTransiently);
        writes.forEach((write) => write.settle());
        this.options.onOutcome?.(transient === undefined ? undefined : new Error('a write failed with a storage error'));
      },
      (syncError: unknown) => {
        endSync();
        // The batch is committed (reads see its rows from now on) and may be
        // on disk or not; its writes fail all the same, and clients retry
        // them. A retried send is still answered correctly: a send is
        // deduplicated by (sender, id), so the retried append finds the
        // stored message and returns it (same seq and at) instead of storing
        // it twice, and that answer waits for a successful sync of its own
        // batch. (Linux reports a failed write-back to one fsync only and may
        // then treat those pages as clean, so a later successful sync does
        // not prove they reached the disk.)
        const failure = toSyncFailure(syncError);
        writes.forEach((write) => write.abort(failure));
        this.options.onOutcome?.(syncError);
      },
    );
  }

  /**
   * Puts the batch back at the head of the queue and tries again later; false
   * once it has waited `busyTimeoutMs`. Then every write queued behind it
   * fails with it: one that committed right after would overtake the failed
   * ones, and a client retrying them would see its messages out of order.
   */
  private waitForLock(writes: QueuedWrite[]): boolean {
    const now = this.options.now();
    this.busySince ??= now;
    if (now - this.busySince >= this.options.busyTimeoutMs) {
      writes.push(...this.queue.splice(0));
      return false;
    }
    this.queue.unshift(...writes);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush();
    }, this.retryDelayMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, retryDelayMaxMs);
    return true;
  }

}

/** What a queued operation needs of its group commit to run. */
interface BatchContext {
  inSavepoint(body: () => void): void;
  inTransaction(): boolean;
  onRolledBack(): void;
}

/** One object per write, not a set of closures: every message and ack queues one. */
class QueuedOperation<T> implements QueuedWrite {
  private outcome: Outcome<T> | undefined;

  constructor(
    private readonly context: BatchContext,
    private readonly operation: () => T,
    private readonly resolve: (value: T) => void,
    private readonly reject: (reason: unknown) => void,
  ) {}

  get started(): boolean {
    return this.outcome !== undefined;
  }

  get failed(): boolean {
    return this.outcome !== undefined && !this.outcome.ok;
  }

  get failedTransiently(): boolean {
    return this.outcome !== undefined && !this.outcome.ok && isTransientStorageError(this.outcome.error);
  }

  execute(isolated: boolean): void {
    try {
      if (isolated) {
        this.context.inSavepoint(() => {
          this.outcome = { ok: true, value: this.operation() };
        });
      } else {
        this.outcome = { ok: true, value: this.operation() };
        // The write ended the transaction itself: the writes after it must not run in autocommit.
        if (!this.context.inTransaction()) throw new Error('a write ended the batch transaction');
      }
    } catch (error) {
      this.outcome = { ok: false, error };
      // Without a savepoint, only the whole batch can roll back what it did.
      // Some errors (SQLITE_FULL, SQLITE_IOERR, …) make SQLite roll back the
      // whole transaction; the writes after this one must not run in autocommit.
      // A storage failure fails the whole batch even when SQLite kept the
      // transaction: writes after it must not commit ahead of it.
      if (!isolated || !this.context.inTransaction() || isTransientStorageError(error)) throw error;
      this.context.onRolledBack();
    }
  }

  reset(): void {
    this.outcome = undefined;
  }

  settle(): void {
    assert(this.outcome !== undefined, 'a committed batch ran every write');
    if (this.outcome.ok) this.resolve(this.outcome.value);
    else this.reject(toStoreError(this.outcome.error));
  }

  abort(batchError: unknown): void {
    this.reject(toStoreError(this.outcome !== undefined && !this.outcome.ok ? this.outcome.error : batchError));
  }
}
