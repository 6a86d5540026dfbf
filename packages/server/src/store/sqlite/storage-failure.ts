import Database from 'better-sqlite3';
import { ParleyError } from '../../chat/parley-error.js';

/** What a client is told to wait before retrying a write the store could not make. */
export const unavailableRetryAfterMs = 1_000;

/**
 * SQLite result codes that say the storage cannot write for now, not that
 * the write is wrong: another process holds the lock, the disk is full, the
 * file system failed or turned read-only. They pass when the operator acts,
 * so the client must retry, not give up.
 */
const transientCodes = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL)/;

function sqliteCode(error: unknown): string | undefined {
  return error instanceof Database.SqliteError ? (error as { code: string }).code : undefined;
}

export function isTransientStorageError(error: unknown): boolean {
  return transientCodes.test(sqliteCode(error) ?? '');
}

export function isBusy(error: unknown): boolean {
  return sqliteCode(error)?.startsWith('SQLITE_BUSY') === true;
}

/** A transient storage failure becomes the retryable `unavailable`; anything else is passed on as it is. */
export function toStoreError(error: unknown): unknown {
  if (!isTransientStorageError(error)) return error;
  const reason = sqliteCode(error) === 'SQLITE_FULL' ? 'the disk is full' : 'the database cannot be written';
  return new ParleyError('unavailable', `${reason}; try again later`, unavailableRetryAfterMs, { cause: error });
}

/**
 * A failed sync of the WAL (EIO, ENOSPC, …) becomes the retryable
 * `unavailable`, as a failed commit does.
 */
export function toSyncFailure(error: unknown): ParleyError {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  const reason = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : 'the database cannot be written';
  return new ParleyError('unavailable', `${reason}; try again later`, unavailableRetryAfterMs, { cause: error });
}

/**
 * Refuses, before it writes anything, work that needs room while the store
 * cannot write: run in the same batch, its failure would fail the small
 * writes that still fit with it.
 */
export function refuseWhileFailing(): ParleyError {
  return new ParleyError('unavailable', 'the store cannot write; try again later', unavailableRetryAfterMs);
}
