import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type ConfigInput } from '@parley/server';
// Test scaffolding is not part of the server's package: tests reach it by path.
import { testConfig } from '../../../server/src/testing/test-config.js';
import { register } from '../commands/register.js';
import { testContext, type TestContext } from './test-context.js';

export const testPassword = 'correct horse battery staple';

export interface CliTestServer {
  url: string;
  /** The server's data dir, for admin commands (`parley invites`, `parley keys`). */
  dataDir: string;
  /** Registers `prefix_name` for each name, each with its own profile in one fresh config dir. */
  people(prefix: string, names: string[]): Promise<TestContext[]>;
  /** A fresh config dir: a machine with no profiles yet. */
  configDir(): Promise<string>;
  /** Another profile in the same config dir as `of`, logged in nowhere yet. */
  profile(of: TestContext, name: string): TestContext;
  stop(): Promise<void>;
}

/** A real server on an ephemeral port, and people on one machine as profiles in a temp config dir. */
export async function startCliTestServer(settings: Partial<ConfigInput> = {}): Promise<CliTestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'parley-cli-test-'));
  const dataDir = join(directory, 'data');
  const app: App = await createApp(testConfig({ ...settings, dataDir }));
  const url = await app.listen();
  return {
    url,
    dataDir,
    async people(prefix, names) {
      const configDir = await mkdtemp(join(directory, 'config-'));
      const contexts: TestContext[] = [];
      for (const name of names) {
        const context = testContext(configDir, `${prefix}-${name}`, url);
        await register(context, `${prefix}_${name}`, { password: testPassword, displayName: name[0]?.toUpperCase() + name.slice(1) });
        contexts.push(context);
      }
      return contexts;
    },
    profile: (of, name) => testContext(of.configDir, name, url),
    configDir: () => mkdtemp(join(directory, 'config-')),
    async stop() {
      await app.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
