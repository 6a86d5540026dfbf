import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog } from './testing/captured-log.js';
import { startApp, type RunningApp } from './testing/running-app.js';
import { request } from './testing/test-api.js';

describe('a data directory that disappears under a running server', () => {
  let server: RunningApp | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('makes the node not ready with storage_unavailable and the gauge at 0, logged once', async () => {
    const log = captureLog();
    server = await startApp({}, { logger: log.logger });
    // Readiness and the gauge are each node's own: ask one node (on a test cluster, every node's dir goes below).
    const [node] = server.nodeUrls as [string];
    expect(await request(node, 'GET', '/readyz')).toMatchObject({ status: 200 });
    // What an unmounted data volume looks like: the open database lives on, unlinked, and would be lost at the next start.
    rmSync(server.dataDir, { recursive: true, force: true });
    expect(await request(node, 'GET', '/readyz')).toMatchObject({ status: 503, body: { status: 'storage_unavailable' } });
    expect(await (await fetch(`${node}/metrics`)).text()).toMatch(/^parley_store_writable 0$/m);
    const line = await log.waitFor('the store cannot write: answering unavailable and not ready until a write succeeds');
    expect(line.err).toMatchObject({ code: 'ENOENT' });
    // Each request checks again: the outage is still the one logged.
    for (let check = 0; check < 3; check++) expect((await request(node, 'GET', '/readyz')).status).toBe(503);
    expect(log.count('the store cannot write: answering unavailable and not ready until a write succeeds')).toBe(1);
    expect(log.count('the store can write again')).toBe(0);
  });
});
