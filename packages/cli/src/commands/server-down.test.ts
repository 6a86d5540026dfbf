import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '@parley/server';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../../server/src/testing/test-config.js';
import { loadProfile, saveProfile } from '../profile.js';
import { CliProcess } from '../testing/cli-process.js';
import { testContext } from '../testing/test-context.js';
import { testPassword } from '../testing/test-cli-server.js';
import { register } from './register.js';

let directory: string | undefined;
let app: App | undefined;
afterEach(async () => {
  await app?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

/** A person logged in on a server that has since stopped. */
async function personOfStoppedServer() {
  directory = await mkdtemp(join(tmpdir(), 'parley-cli-outage-'));
  const dataDir = join(directory, 'data');
  app = await createApp(testConfig({ dataDir }));
  const url = await app.listen();
  const person = testContext(join(directory, 'config'), 'lee', url);
  await register(person, 'lee', { password: testPassword });
  await app.close();
  return { dataDir, url, person };
}

describe('the CLI while the server is down', () => {
  it('listen says the server is unreachable and when it retries, then listens once the server is back', async () => {
    const { dataDir, url, person } = await personOfStoppedServer();

    const listen = new CliProcess(['--profile', 'lee', 'listen'], { configDir: person.configDir });
    await listen.waitFor(/unreachable; retrying in \d+\.\d s/, 'stderr');
    app = await createApp(testConfig({ dataDir, port: Number(new URL(url).port) }));
    await app.listen();
    await listen.waitFor(/listening as @lee/, 'stderr');
    expect(await listen.stop()).toBe(0);
    for (const delay of listen.stderr.matchAll(/retrying in (\d+\.\d) s/g)) expect(Number(delay[1])).toBeLessThanOrEqual(5);
  });

  it('send stopped with Ctrl-C says the message did not go out', async () => {
    const { person } = await personOfStoppedServer();
    // A server that takes connections and never answers: the send hangs as it would on a bad network.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address() as AddressInfo;
    const profile = await loadProfile(person);
    await saveProfile(person, { ...profile!, server: `http://127.0.0.1:${address.port}` });
    const send = new CliProcess(['--profile', 'lee', 'send', 'lee', 'hello?'], { configDir: person.configDir });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await send.stop('SIGINT')).toBe(1);
    expect(send.stderr).toMatch(/interrupted before the message to @lee was sent: it did not go out/);
    silent.close();
  });
});
