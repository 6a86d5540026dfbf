/**
 * Creates the database `databaseUrl` names when it does not exist, by way of
 * the server's `postgres` maintenance database; resolves with whether it did.
 * `pg` is loaded here, when a cluster is started, never by the default install.
 */
export async function ensureDatabase(databaseUrl: string): Promise<'created' | 'existed'> {
  const { default: pg } = await import('pg');
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (name === '') throw new Error(`the database URL names no database: ${redacted(url)}`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL does not answer at ${redacted(url)} (${error instanceof Error ? error.message : String(error)}): start it, or pass --database-url`);
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount !== 0) return 'existed';
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    return 'created';
  } finally {
    await client.end();
  }
}

/**
 * Drops the database `databaseUrl` names, closing its sessions first
 * (`WITH (FORCE)`): for a throwaway cluster (`parley-bench --cluster-nodes`)
 * once its nodes have stopped. Nothing happens when it does not exist.
 */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const { default: pg } = await import('pg');
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (name === '') throw new Error(`the database URL names no database: ${redacted(url)}`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The URL without its password, to print. */
function redacted(url: URL): string {
  const copy = new URL(url);
  if (copy.password !== '') copy.password = '***';
  return copy.toString();
}
