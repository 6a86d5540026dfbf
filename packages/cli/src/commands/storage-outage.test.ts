import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test scaffolding is not part of the server's package: tests reach it by path.
import { holdWriteLock } from '../../../server/src/testing/lock-holder.js';
import { CliProcess } from '../testing/cli-process.js';
import { startCliTestServer, type CliTestServer } from '../testing/test-cli-server.js';
import { groupCreate } from './group.js';
import { send } from './send.js';

let server: CliTestServer;
beforeAll(async () => {
  // A short busy wait, so that the outage answers `unavailable` at once.
  server = await startCliTestServer({ storeBusyTimeoutMs: 200 });
});
afterAll(async () => {
  await server.stop();
});

describe('send while another process holds the database write lock', () => {
  it('says the server cannot write, waits, and sends once the lock is released', async () => {
    const [alice] = await server.people('o', ['alice', 'bob']);
    const lock = await holdWriteLock(join(server.dataDir, 'parley.db'));
    let released = false;
    try {
      const send = new CliProcess(['--profile', alice!.profileName, 'send', 'o_bob', 'typed during the outage'], { configDir: alice!.configDir });
      await send.waitFor(/the server cannot write just now \(storage busy or full\); trying again in 1 s/, 'stderr');
      await lock.release();
      released = true;
      expect(await send.exited, send.stderr).toBe(0);
      expect(send.stdout).toBe('sent to @o_bob: seq 1\n');
    } finally {
      if (!released) await lock.release();
    }
  });

  it('says so when the server refuses the message itself for now, and sends it once the lock is released', async () => {
    const [alice] = await server.people('p', ['alice', 'bob']);
    // A group is found by reading, so the refusal comes from the message's own write, over the WebSocket.
    await groupCreate(alice!, 'Outage', ['p_bob']);
    const lock = await holdWriteLock(join(server.dataDir, 'parley.db'));
    let released = false;
    try {
      const send = new CliProcess(['--profile', alice!.profileName, 'send', '--group', 'Outage', 'typed during the outage'], { configDir: alice!.configDir });
      await send.waitFor(/the server cannot write just now \(storage busy or full\); trying again in 1 s/, 'stderr');
      await lock.release();
      released = true;
      expect(await send.exited, send.stderr).toBe(0);
      expect(send.stdout).toBe('sent to "Outage": seq 1\n');
    } finally {
      if (!released) await lock.release();
    }
  });

  it('says the server could not store the message, not that it did not answer, when the outage outlasts the wait', async () => {
    const [alice] = await server.people('q', ['alice', 'bob']);
    await groupCreate(alice!, 'Long outage', ['q_bob']);
    const lock = await holdWriteLock(join(server.dataDir, 'parley.db'));
    try {
      await expect(send(alice!, 'Long outage', 'typed during the outage', { group: true, timeoutMs: 1_500 })).rejects.toThrow(
        `${server.url} could not store the message within 2 s (its disk is full or its database busy): the message to "Long outage" was not sent`,
      );
    } finally {
      await lock.release();
    }
  });
});
