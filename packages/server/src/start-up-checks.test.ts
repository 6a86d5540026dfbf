import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRefusedServer, startServerProcess, type ServerProcess } from './testing/server-process.js';
import { tempDir } from './testing/temp-dir.js';
import { createUser } from './testing/test-api.js';

describe('start-up checks of the server process', () => {
  const dir = tempDir();
  const running: ServerProcess[] = [];
  afterEach(async () => {
    for (const server of running.splice(0)) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    dir.remove();
  });

  async function start(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    const server = await startServerProcess(dataDir, env);
    running.push(server);
    return server;
  }

  it('refuses to start on a missing database when the master key exists, and starts fresh only when told to', async () => {
    const dataDir = join(dir.path, 'data');
    const keyFile = join(dir.path, 'keys', 'master.key');
    mkdirSync(join(dir.path, 'keys'));
    const env = { PARLEY_MASTER_KEY_FILE: keyFile };
    const first = await start(dataDir, env);
    await createUser(first.url, 'alice');
    first.child.kill('SIGTERM');
    await first.exited;
    running.splice(0);

    // The data volume is not mounted: the directory is there, empty; the key, on its own volume, is.
    rmSync(dataDir, { recursive: true });
    mkdirSync(dataDir);
    const refused = await runRefusedServer(dataDir, env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`the database ${join(dataDir, 'parley.db')} is missing or empty, but the master key ${keyFile} exists`);
    expect(refused.stderr).toContain('Is the data volume mounted?');
    expect(refused.stderr).toContain('--allow-empty-database true (PARLEY_ALLOW_EMPTY_DATABASE=true)');

    const fresh = await start(dataDir, { ...env, PARLEY_ALLOW_EMPTY_DATABASE: 'true' });
    expect((await fetch(`${fresh.url}/readyz`)).status).toBe(200);
  });

  it('refuses a second server on the same data directory, and lets one start once the first has died', async () => {
    const first = await start(dir.path);
    const second = await runRefusedServer(dir.path);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`another Parley server is running on the data directory ${dir.path}`);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);

    // The kernel drops the lock of a killed process: no stale lock to clean up by hand.
    first.child.kill('SIGKILL');
    await first.exited;
    const third = await start(dir.path);
    expect((await fetch(`${third.url}/readyz`)).status).toBe(200);
  });
});
