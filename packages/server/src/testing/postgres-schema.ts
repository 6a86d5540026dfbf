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

  async dropAll(): Promise<void> {
    for (const name of this.created.splice(0)) await this.admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await this.admin.end();
  }
}
