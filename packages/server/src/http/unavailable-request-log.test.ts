import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog } from '../testing/captured-log.js';
import { holdWriteLock, type LockHolder } from '../testing/lock-holder.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, request } from '../testing/test-api.js';

const warnLevel = 40;

describe('an HTTP write refused during a storage outage', () => {
  let server: RunningApp | undefined;
  let lock: LockHolder | undefined;
  afterEach(async () => {
    await lock?.release();
    await server?.stop();
  });

  it('is logged as a warning: the outage itself is the one error line an alert should match', async () => {
    const log = captureLog();
    server = await startApp({ storeBusyTimeoutMs: 100 }, { logger: log.logger });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    lock = await holdWriteLock(join(server.dataDir, 'parley.db'));
    const refused = await request(server.url, 'POST', '/v1/conversations', { token: bob.token, body: { type: 'direct', peer: alice.userId } });
    expect(refused.status).toBe(503);
    const line = await log.waitFor('request failed');
    expect(line.level).toBe(warnLevel);
    expect(log.count('the store cannot write: answering unavailable and not ready until a write succeeds')).toBe(1);
  });
});
