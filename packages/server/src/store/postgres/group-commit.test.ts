import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../chat/parley-error.js';
import { TestSchemas, testDatabaseUrl } from '../../testing/postgres-schema.js';
import { GroupCommit } from './group-commit.js';
import { openPostgresPool } from './postgres-pool.js';

const schemas = new TestSchemas();
afterAll(() => schemas.dropAll());

let schema: string;
let pool: pg.Pool;
let admin: pg.Client;
let outcomes: unknown[];
let commits: GroupCommit;
beforeEach(async () => {
  schema = await schemas.create();
  pool = openPostgresPool({ databaseUrl: testDatabaseUrl, poolSize: 2, schema });
  await pool.query('CREATE TABLE notes (id integer PRIMARY KEY)');
  admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  outcomes = [];
  commits = new GroupCommit(pool, { maxWrites: 64, onOutcome: (failure) => outcomes.push(failure) });
});
afterEach(async () => {
  await commits.close();
  await admin.end();
  await pool.end();
});

const insert = (id: number) => (client: pg.PoolClient) => client.query('INSERT INTO notes (id) VALUES ($1)', [id]).then(() => id);
const stored = async () => (await pool.query<{ id: number }>('SELECT id FROM notes ORDER BY id')).rows.map((row) => row.id);

/** A write that holds its batch open until `release`: writes enqueued meanwhile gather for the next batch. */
function holdingWrite(): { write: (client: pg.PoolClient) => Promise<number>; release: () => void } {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  return { write: async (client) => (await held, insert(0)(client)), release };
}

const transactionId = (id: number) => async (client: pg.PoolClient) => {
  await insert(id)(client);
  return (await client.query<{ xid: string }>('SELECT txid_current() AS xid')).rows[0]?.xid;
};

describe('GroupCommit on PostgreSQL', () => {
  it('commits the writes that arrive while a batch commits together, in one transaction, with synchronous_commit on', async () => {
    const holding = holdingWrite();
    const first = commits.enqueue(holding.write);
    const together = [1, 2, 3].map((id) => commits.enqueue(transactionId(id)));
    holding.release();
    await first;
    expect(new Set(await Promise.all(together)).size).toBe(1);
    expect(await stored()).toEqual([0, 1, 2, 3]);
    expect((await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]?.synchronous_commit).toBe('on');
  });

  it('rolls a refused write back alone: the others of its batch commit', async () => {
    const refusal = new ParleyError('conflict', 'refused');
    const writes = [
      commits.enqueue(insert(1)),
      commits.enqueue(async (client) => {
        await insert(2)(client);
        throw refusal;
      }),
      commits.enqueue(insert(3)),
    ];
    const settled = await Promise.allSettled(writes);
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored()).toEqual([1, 3]);
  });

  it('rejects every write of a batch whose connection is lost before COMMIT with unavailable, and commits again on a new connection', async () => {
    const holding = holdingWrite();
    const first = commits.enqueue(holding.write);
    const batch = [
      commits.enqueue(insert(1)),
      commits.enqueue(async (client) => {
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        return insert(2)(client);
      }),
    ];
    holding.release();
    await first;
    for (const outcome of await Promise.allSettled(batch)) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'unavailable' } });
    }
    expect(outcomes.find((failure) => failure !== undefined)).toBeInstanceOf(ParleyError);

    expect(await commits.enqueue(insert(3))).toBe(3);
    expect(await stored()).toEqual([0, 3]);
    expect(outcomes.at(-1)).toBeUndefined();
  });

  it('runs a batch that lost to a deadlock again alone: another node\'s batch waits until it has committed', async () => {
    await pool.query('INSERT INTO notes (id) VALUES (1), (2)');
    const touch = (client: pg.ClientBase, id: number) => client.query('UPDATE notes SET id = id WHERE id = $1', [id]);
    let attempts = 0;
    let heldRow1 = () => {};
    const row1Held = new Promise<void>((resolve) => (heldRow1 = resolve));
    const retry = holdingWrite();
    let retryRunning = () => {};
    const retryStarted = new Promise<void>((resolve) => (retryRunning = resolve));
    // Another transaction holds row 2; this batch takes row 1, then waits for row 2 first: it is the one aborted.
    await admin.query(`SET search_path = ${schema}`);
    await admin.query('BEGIN');
    await touch(admin, 2);
    const deadlocked = commits.enqueue(async (client) => {
      attempts += 1;
      if (attempts > 1) {
        retryRunning();
        return retry.write(client);
      }
      await touch(client, 1);
      heldRow1();
      return touch(client, 2).then(() => 0);
    });
    await row1Held;
    await new Promise((resolve) => setTimeout(resolve, 200));
    await touch(admin, 1);
    await admin.query('COMMIT');
    await retryStarted;

    const otherNodePool = openPostgresPool({ databaseUrl: testDatabaseUrl, poolSize: 1, schema });
    const otherNode = new GroupCommit(otherNodePool, { maxWrites: 64, onOutcome: () => undefined });
    let otherCommitted = false;
    const other = otherNode.enqueue(insert(5)).then((id) => ((otherCommitted = true), id));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(otherCommitted).toBe(false);
    } finally {
      retry.release();
    }
    expect(await deadlocked).toBe(0);
    expect(await other).toBe(5);
    expect(attempts).toBe(2);
    expect(await stored()).toEqual([0, 1, 2, 5]);
    await otherNode.close();
    await otherNodePool.end();
  });
});
