import type pg from 'pg';
import { isRetryable, isUnavailable, isRaceLost, unavailable } from './store-failure.js';

/** One write: statements on a client that is inside the batch's transaction. */
export type Write<T> = (client: pg.PoolClient) => Promise<T>;

export interface GroupCommitOptions {
  /** Writes one transaction holds at most. */
  maxWrites: number;
  /** Told after each batch: the storage failure that failed it, or undefined when it committed. */
  onOutcome: (failure: unknown) => void;
}

interface Pending {
  write: Write<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A batch lost to a deadlock or a serialization failure is run again this many times at most. */
const batchAttemptsMax = 5;

/** A write that lost a race to a row committed on another node (`isRaceLost`) is run again this many times at most. */
const writeAttemptsMax = 3;

/**
 * The advisory lock every batch holds for its transaction: shared, so nodes
 * commit side by side; exclusive for a batch run again after a deadlock.
 */
const batchLockKey = 0x7061726d; // 'parm'

/**
 * Group commit for PostgreSQL: the writes that arrive while a batch is being
 * committed wait, then go together in one transaction, one round trip for
 * COMMIT and one WAL flush for all of them. Each write runs in a savepoint, so
 * a refused one (a `ParleyError`) is rolled back alone. Writes run in the
 * order they were enqueued, one batch at a time (one per node): a
 * conversation's appends are numbered in call order. A promise resolves only after COMMIT returned;
 * if the connection is lost before that, the outcome is unknown and every
 * write of the batch rejects with `unavailable` (an append retried by the
 * client is then found by its (sender, id)).
 *
 * Each write takes its row locks in one order (device, conversations, users),
 * but a batch's writes take theirs one after another, so two nodes' batches
 * can deadlock. PostgreSQL notices after `deadlock_timeout` (1 s by default)
 * and aborts one. Run again as it was, the victim met the other node's next
 * batch and deadlocked again, a second lost each time, for as long as both
 * nodes kept writing to the same rows. So a batch that lost to a deadlock (or
 * a serialization failure) runs again holding the batch lock exclusively: it
 * waits for the batches in flight on other nodes, runs alone, and commits.
 */
export class GroupCommit {
  private readonly queue: Pending[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: GroupCommitOptions,
  ) {}

  enqueue<T>(write: Write<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.start();
    });
  }

  /** Commits what was enqueued before, then refuses new writes. */
  async close(): Promise<void> {
    this.closed = true;
    // A drain that was finishing as writes came in hands them to the next one: wait for that one too.
    while (this.running !== undefined) await this.running;
  }

  private start(): void {
    if (this.running !== undefined) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.start();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.options.maxWrites));
  }

  private async commit(batch: Pending[]): Promise<void> {
    let alone = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await this.runBatch(batch, alone);
        this.options.onOutcome(undefined);
        outcomes.forEach((outcome, index) => {
          const pending = batch[index];
          if (outcome.ok) pending?.resolve(outcome.value);
          else pending?.reject(outcome.error);
        });
        return;
      } catch (error) {
        if (isRetryable(error) && attempt < batchAttemptsMax) {
          alone = true;
          continue;
        }
        const failure = isUnavailable(error) || isRetryable(error) ? unavailable(error) : error;
        if (isUnavailable(error)) this.options.onOutcome(failure);
        for (const pending of batch) pending.reject(failure);
        return;
      }
    }
  }

  /**
   * Throws what fails the whole batch: a lost connection, a failed COMMIT, a
   * deadlock. Each write runs in savepoint `write`; the statements that end
   * one savepoint and start the next travel together, one round trip, as do
   * BEGIN and the batch lock (exclusive when `alone`).
   */
  private async runBatch(batch: Pending[], alone: boolean): Promise<Outcome[]> {
    const client = await this.pool.connect();
    // A connection ended by the server (a restart) also emits 'error'; the query in flight rejects with it, which is what counts.
    client.on('error', ignoreConnectionError);
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock${alone ? '' : '_shared'}(${batchLockKey}); SAVEPOINT write`);
      const outcomes: Outcome[] = [];
      for (const [index, pending] of batch.entries()) {
        const outcome = await this.runWrite(client, pending.write);
        outcomes.push(outcome);
        // Past a refused write the savepoint still stands (ROLLBACK TO keeps it); past a done one a new one starts.
        if (outcome.ok && index < batch.length - 1) await client.query('RELEASE SAVEPOINT write; SAVEPOINT write');
      }
      await client.query('COMMIT');
      client.off('error', ignoreConnectionError);
      client.release();
      return outcomes;
    } catch (error) {
      // A connection in an unknown state is closed, not reused: closing it rolls back what it held.
      client.off('error', ignoreConnectionError);
      client.release(true);
      throw error;
    }
  }

  /** Runs the write inside the savepoint that stands; a refused one is rolled back to it. */
  private async runWrite(client: pg.PoolClient, write: Write<unknown>): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await write(client) };
      } catch (error) {
        if (isUnavailable(error) || isRetryable(error)) throw error;
        await client.query('ROLLBACK TO SAVEPOINT write');
        if (isRaceLost(error) && attempt < writeAttemptsMax) continue;
        return { ok: false, error };
      }
    }
  }
}

function ignoreConnectionError(): void {}
