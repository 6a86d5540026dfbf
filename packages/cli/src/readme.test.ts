import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ParleyApi } from '@parley/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliTestServer, type CliTestServer } from './testing/test-cli-server.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const snippetPath = fileURLToPath(new URL('../../../examples/sdk-snippet.mjs', import.meta.url));
const run = promisify(execFile);

let server: CliTestServer;
beforeAll(async () => {
  server = await startCliTestServer();
  const api = new ParleyApi({ baseUrl: server.url });
  await api.register({ username: 'alice', password: 'alice-secret-1' });
  await api.register({ username: 'bob', password: 'bob-secret-12' });
});
afterAll(async () => {
  await server.stop();
});

describe("the README's SDK snippet", () => {
  it('is printed in the README exactly as the file that runs', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`js\n${await readFile(snippetPath, 'utf8')}\`\`\``);
  });

  it('runs again and again without piling up devices at the 5-device limit', async () => {
    for (let round = 1; round <= 6; round++) {
      const { stdout } = await run(process.execPath, [snippetPath], { cwd: repositoryRoot, env: { ...process.env, PARLEY_SERVER: server.url } });
      expect(stdout).toContain(`sent: seq ${round}`);
    }
    const alice = new ParleyApi({ baseUrl: server.url });
    await alice.login({ username: 'alice', password: 'alice-secret-1' });
    expect(await alice.devices()).toHaveLength(1);
  });
});
