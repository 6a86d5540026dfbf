import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TestSchemas, testDatabaseUrl } from '../../testing/postgres-schema.js';
import { Fixtures } from '../contract/fixtures.js';
import { PostgresStore } from './postgres-store.js';

const schemas = new TestSchemas();
const admin = new pg.Pool({ connectionString: testDatabaseUrl, max: 1 });
afterAll(async () => {
  await admin.end();
  await schemas.dropAll();
});
const opened: PostgresStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close().catch(() => undefined);
});

async function open(schema: string, masterKey: Buffer): Promise<PostgresStore> {
  const store = await PostgresStore.open({ databaseUrl: testDatabaseUrl, schema, masterKey, poolSize: 2 });
  opened.push(store);
  return store;
}

const visible = { from: 1, to: Number.MAX_SAFE_INTEGER };

describe('PostgresStore encryption at rest', () => {
  it('stores no plaintext of a message body, and reads it back', async () => {
    const schema = await schemas.create();
    const store = await open(schema, randomBytes(32));
    const make = new Fixtures(store);
    const [alice, bob] = await make.users('alice', 'bob');
    const conversation = await make.direct(alice, bob);
    const secret = 'the eagle lands at midnight 7f3a';
    await make.send(conversation, alice, secret);

    const { rows } = await admin.query<{ body: Buffer; key_id: number }>(`SELECT body, key_id FROM ${schema}.messages`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.body.includes(Buffer.from(secret))).toBe(false);
    expect(rows[0]?.key_id).toBe(1);
    expect((await store.readHistory(conversation, { limit: 10 }, visible))[0]?.bodyJson).toContain(secret);
  });

  it('seals with a key rotated on another node, reads rows sealed with a key not loaded yet, and re-encrypts the older rows', async () => {
    const schema = await schemas.create();
    const masterKey = randomBytes(32);
    const first = await open(schema, masterKey);
    const make = new Fixtures(first);
    const [alice, bob] = await make.users('alice', 'bob');
    const conversation = await make.direct(alice, bob);
    await make.send(conversation, alice, 'before the rotation');
    const second = await open(schema, masterKey);

    expect(await second.rotateDataKey(Date.now())).toBe(2);
    await first.append(make.draft(conversation, bob, 'after the rotation'));
    const keyIds = async () => (await admin.query<{ key_id: number }>(`SELECT key_id FROM ${schema}.messages ORDER BY seq`)).rows.map((row) => row.key_id);
    // The first node follows the rotation within its reload period: until then it still seals with key 1.
    await second.append(make.draft(conversation, alice, 'from the rotating node'));
    expect((await keyIds()).at(-1)).toBe(2);

    let step = await second.reencrypt(1);
    while (step.next !== undefined) step = await second.reencrypt(1, step.next);
    expect(await keyIds()).toEqual([2, 2, 2]);
    const texts = (await first.readHistory(conversation, { limit: 10 }, visible)).map((message) => JSON.parse(message.bodyJson) as { text: string });
    expect(texts.map((body) => body.text)).toEqual(['before the rotation', 'after the rotation', 'from the rotating node']);
  });
});
