import pg from 'pg';
import { ParleyError } from '../../chat/parley-error.js';

/**
 * What a client is told to wait before retrying a write PostgreSQL could not
 * take, as with SQLite. The gateway refuses the connection's later sends for
 * as long, so the SDK re-sends its whole outbox in order once it is over,
 * instead of later sends overtaking the refused ones.
 */
export const unavailableRetryAfterMs = 1_000;

/** SQLSTATEs after which the same transaction, run again, may well succeed. */
const retryableCodes = new Set(['40001', '40P01']);

/**
 * SQLSTATE classes that mean "PostgreSQL cannot serve now": connection
 * exceptions (08), insufficient resources (53), operator intervention such
 * as a shutdown or a restart in progress (57), system errors (58).
 */
const unavailableClasses = new Set(['08', '53', '57', '58']);

/** What `pg` throws when the connection itself fails: no server answer, so no SQLSTATE. */
const connectionFailure = /Connection terminated|connection error|Client has been closed|not queryable|timeout exceeded when trying to connect|Query read timeout/i;

function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

/** A socket error (ECONNREFUSED, ECONNRESET, EPIPE…) carries the system call that failed. */
function isSocketError(error: unknown): boolean {
  return error instanceof Error && 'syscall' in error;
}

/** A deadlock or serialization failure: the whole transaction is run again. */
export function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && retryableCodes.has(code);
}

/**
 * A row another transaction committed meanwhile refused this write's: a
 * unique key taken (two registrations of one username), or a referenced row
 * gone (a device revoked while an append queued its push). The write, run
 * again, sees that row and decides on it.
 */
export function isRaceLost(error: unknown): boolean {
  const code = sqlState(error);
  return code === '23505' || code === '23503';
}

/**
 * Whether the error says PostgreSQL could not be reached or could not serve:
 * a lost or refused connection (a socket error, or `pg`'s "Connection
 * terminated"), or one of the classes above. A query's own mistakes (syntax,
 * constraints) and our bugs are not: they stay as they are.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof ParleyError) return error.code === 'unavailable';
  const code = sqlState(error);
  if (code !== undefined) return unavailableClasses.has(code.slice(0, 2));
  if (isSocketError(error)) return true;
  return error instanceof Error && connectionFailure.test(error.message);
}

/** What a caller sees of a storage failure: `unavailable`, retryable, with the cause kept for the logs. */
export function unavailable(cause: unknown): ParleyError {
  if (cause instanceof ParleyError && cause.code === 'unavailable') return cause;
  return new ParleyError('unavailable', 'the database is unavailable; try again', unavailableRetryAfterMs, { cause });
}
