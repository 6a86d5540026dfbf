import pg from 'pg';
import { assert } from '../../lib/assert.js';

export interface PostgresPoolOptions {
  /** `postgres://user@host:port/database`. */
  databaseUrl: string;
  /** Connections this node holds at most. */
  poolSize: number;
  /** Tables live in this schema instead of the user's default (tests: one schema each). */
  schema?: string;
  /** Told of errors on idle connections (PostgreSQL restarted); the pool replaces them by itself. */
  onIdleError?: (error: Error) => void;
}

const int8Oid = 20;

/**
 * BIGINT comes back from `pg` as a string. Every BIGINT Parley stores (ms
 * times, seqs, positions, counts) stays far below 2^53, so it is parsed to a
 * number, and a value past that is a broken invariant, not a rounding.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  assert(Number.isSafeInteger(value), `BIGINT ${text} is beyond 2^53`);
  return value;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8Oid && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** How long a call waits for a connection before it fails (PostgreSQL down or the pool exhausted). */
const connectionTimeoutMs = 5_000;

/**
 * The node's connections. Each one runs with `synchronous_commit=on`, set
 * here whatever the server's default: a COMMIT returns once its WAL is
 * flushed, so a resolved write is durable. A connection lost while idle is
 * dropped and replaced on the next call: the pool recovers by itself when
 * PostgreSQL is back.
 */
export function openPostgresPool(options: PostgresPoolOptions): pg.Pool {
  // Settings the URL gives (`?options=-c%20search_path%3Dparley`) are kept; ours come after, so synchronous_commit is ours.
  const fromUrl = new URL(options.databaseUrl).searchParams.get('options');
  const settings = [...(fromUrl === null ? [] : [fromUrl]), '-c synchronous_commit=on'];
  if (options.schema !== undefined) settings.push(`-c search_path=${options.schema}`);
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize,
    connectionTimeoutMillis: connectionTimeoutMs,
    options: settings.join(' '),
    types,
  });
  // Without a listener, an idle connection's error would end the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}
