import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../chat/model.js';
import { eventually } from '../../testing/eventually.js';
import { TestSchemas, testDatabaseUrl } from '../../testing/postgres-schema.js';
import { Fixtures, range, t0 } from '../contract/fixtures.js';
import { PostgresStore } from './postgres-store.js';
import { schemaVersion } from './schema.js';

const schemas = new TestSchemas();
afterAll(() => schemas.dropAll());

/** Two stores on one schema, as two nodes of a cluster are on one database; `first` made the fixtures. */
async function twoNodes(): Promise<{ first: PostgresStore; second: PostgresStore; make: Fixtures }> {
  const schema = await schemas.create();
  const first = await PostgresStore.open({ databaseUrl: testDatabaseUrl, schema, poolSize: 4 });
  const second = await PostgresStore.open({ databaseUrl: testDatabaseUrl, schema, poolSize: 4 });
  opened.push(first, second);
  return { first, second, make: new Fixtures(first) };
}

const opened: PostgresStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close().catch(() => undefined);
});

async function messageSeqsInStream(store: PostgresStore, user: User): Promise<number[]> {
  const entries = await store.readStream(user.id, 0, 10_000);
  return entries.flatMap((entry) => (entry.kind === 'message' ? [entry.message.seq] : []));
}

describe('PostgresStore on two nodes sharing one database', () => {
  it('migrates once and makes one data key when three nodes start at once on an empty database', async () => {
    const schema = await schemas.create();
    const masterKey = randomBytes(32);
    const stores = await Promise.all(range(1, 3).map(() => PostgresStore.open({ databaseUrl: testDatabaseUrl, schema, poolSize: 2, masterKey })));
    opened.push(...stores);
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      const versions = await admin.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
      expect(versions.rows.map((row) => row.version)).toEqual(range(1, schemaVersion));
      expect((await admin.query(`SELECT id FROM ${schema}.data_keys`)).rows).toEqual([{ id: 1 }]);
    } finally {
      await admin.end();
    }
  });

  it('numbers concurrent appends to one group from both nodes 1..N, and every member gets each once, in seq order', async () => {
    const { first, second, make } = await twoNodes();
    const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
    const group = await make.group(alice, [bob, carol]);
    const drafts = range(1, 60).map((n) => make.draft(group.id, [alice, bob, carol][n % 3] as User, `m${n}`));
    const results = await Promise.all(drafts.map((draft, n) => (n % 2 === 0 ? first : second).append(draft)));

    const seqs = results.map((result) => result.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(range(1, 60));
    for (const member of [alice, bob, carol]) expect(await messageSeqsInStream(second, member)).toEqual(range(1, 60));
    const positions = (await first.readStream(bob.id, 0, 10_000)).map((entry) => entry.pos);
    expect(positions).toEqual(range(1, positions.length));
  });

  it('refuses every message of a member removed on the other node from the removal on, and numbers none after it', async () => {
    const { first, second, make } = await twoNodes();
    const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
    const group = await make.group(alice, [bob, carol]);
    const outcomes: unknown[] = [];
    const sender = (async () => {
      for (const n of range(1, 40)) {
        outcomes.push(await second.append(make.draft(group.id, bob, `m${n}`)).then((result) => result.message.seq, (error: unknown) => error));
      }
    })();
    // The removal goes in while bob is sending: some of his messages before it, the rest after.
    await eventually(() => outcomes.length >= 5, 'bob sending');
    await first.removeMember(group.id, alice.id, bob.id);
    await sender;

    const leftAtSeq = (await first.getMember(group.id, bob.id))?.leftAtSeq;
    expect(leftAtSeq).toBeGreaterThanOrEqual(5);
    const stored = outcomes.filter((outcome): outcome is number => typeof outcome === 'number');
    expect(stored.every((seq) => seq <= (leftAtSeq ?? 0))).toBe(true);
    expect(outcomes.filter((outcome) => typeof outcome !== 'number')).toEqual(
      Array.from({ length: 40 - stored.length }, () => expect.objectContaining({ code: 'not_member' })),
    );
  });

  it('stores one message when both nodes append the same (sender, id) at once', async () => {
    const { first, second, make } = await twoNodes();
    const [alice, bob] = await make.users('alice', 'bob');
    const conversation = await make.direct(alice, bob);
    const draft = make.draft(conversation, alice, 'once');
    const results = await Promise.all([first.append(draft), second.append(draft)]);

    expect(results.map((result) => result.message.seq)).toEqual([1, 1]);
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    expect(await messageSeqsInStream(first, bob)).toEqual([1]);
  });

  it('opens one direct conversation when both nodes open the same pair at once', async () => {
    const { first, second, make } = await twoNodes();
    const [alice, bob] = await make.users('alice', 'bob');
    const opened = await Promise.all([
      first.openDirectConversation({ id: 'c_from_first', userIds: [alice.id, bob.id], createdBy: alice.id, createdAt: t0 }),
      second.openDirectConversation({ id: 'c_from_second', userIds: [bob.id, alice.id], createdBy: bob.id, createdAt: t0 }),
    ]);
    expect(new Set(opened.map((result) => result.conversation.id)).size).toBe(1);
    expect(opened.filter((result) => result.created)).toHaveLength(1);
  });

  it('gives a username to one of two nodes registering it at once, and conflict to the other', async () => {
    const { first, second } = await twoNodes();
    const registrations = await Promise.allSettled([
      first.createUser({ id: 'u_1', username: 'dora', displayName: 'Dora', passwordHash: 'h', createdAt: t0 }),
      second.createUser({ id: 'u_2', username: 'dora', displayName: 'Dora', passwordHash: 'h', createdAt: t0 }),
    ]);
    expect(registrations.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(registrations.find((outcome) => outcome.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
  });

  it('never gives one push job to both nodes claiming at once', async () => {
    const { first, second, make } = await twoNodes();
    const [alice, bob] = await make.users('alice', 'bob');
    const devices = await Promise.all(range(1, 5).map((n) => make.device(bob, `phone${n}`)));
    for (const device of devices) {
      await first.setPushRegistration({ deviceId: device.id, userId: bob.id, target: { provider: 'webhook', url: `https://push.test/${device.id}` }, createdAt: t0 });
    }
    const conversation = await make.direct(alice, bob);
    await make.send(conversation, alice, 'wake up');

    const now = t0 + 10 * 86_400_000;
    const [claimedByFirst, claimedBySecond] = await Promise.all([first.claimPushJobs(now, 100, now + 60_000), second.claimPushJobs(now, 100, now + 60_000)]);
    const claimed = [...claimedByFirst, ...claimedBySecond].map((job) => job.deviceId).sort();
    expect(claimed).toEqual(devices.map((device) => device.id).sort());
  });

  it('gives the job of a node that stopped mid-send to the other node once its lease ends', async () => {
    const { first, second, make } = await twoNodes();
    const [alice, bob] = await make.users('alice', 'bob');
    const phone = await make.device(bob, 'phone');
    await first.setPushRegistration({ deviceId: phone.id, userId: bob.id, target: { provider: 'webhook', url: 'https://push.test/phone' }, createdAt: t0 });
    const conversation = await make.direct(alice, bob);
    await make.send(conversation, alice, 'wake up');

    const now = t0 + 10 * 86_400_000;
    const leaseUntil = now + 30_000;
    expect(await first.claimPushJobs(now, 10, leaseUntil)).toHaveLength(1);
    await first.close();

    expect(await second.claimPushJobs(leaseUntil - 1, 10, leaseUntil + 30_000)).toEqual([]);
    const [again] = await second.claimPushJobs(leaseUntil, 10, leaseUntil + 30_000);
    expect(again).toMatchObject({ deviceId: phone.id, lastSeq: 1, attempts: 2 });
  });
});
