import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The machine's PostgreSQL (trust auth); PARLEY_TEST_DATABASE_URL points the tests elsewhere. */
export const testDatabaseUrl = process.env.PARLEY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Schemas of their own for tests that run in parallel processes on one
 * database: each made under a random name and dropped, with everything in
 * it, by `dropAll`.
 */
export class TestSchemas {
  private readonly created: string[] = [];
  private readonly admin = new pg.Pool({ connectionString: testDatabaseUrl, max: 1 });

  async create(): Promise<string> {
    const name = `parley_test_${randomBytes(6).toString('hex')}`;
    await this.admin.query(`CREATE SCHEMA ${name}`);
    this.created.push(name);
    return name;
  }

  /**
   * A schema emptied for the next test: the same one each time, its tables
   * truncated (migrated once, not per test: a migration costs more than a
   * test). The store of the test before must be closed.
   */
  async emptied(reused: { schema?: string }): Promise<string> {
    if (reused.schema === undefined) {
      reused.schema = await this.create();
      return reused.schema;
    }
    const { rows } = await this.admin.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'",
      [reused.schema],
    );
    if (rows.length > 0) await this.admin.query(`TRUNCATE ${rows.map((row) => `${reused.schema}.${row.tablename}`).join(', ')}`);
    return reused.schema;
  }

  async dropAll(): Promise<void> {
    for (const name of this.created.splice(0)) await this.admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await this.admin.end();
  }
}
