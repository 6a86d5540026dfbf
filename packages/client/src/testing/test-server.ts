import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppOptions, type ConfigInput } from '@parley/server';
// Test scaffolding is not part of the server's package: tests reach it by path.
import { testConfig } from '../../../server/src/testing/test-config.js';
import { ParleyApi } from '../api.js';
import type { SessionView } from '@parley/protocol';

export interface TestServer {
  url: string;
  /** Registers a user and logs in one device; the api carries its token. */
  signUp(name: string): Promise<TestUser>;
  stop(): Promise<void>;
}

export interface TestUser {
  api: ParleyApi;
  session: SessionView;
  username: string;
  password: string;
}

let userCount = 0;

/** A real Parley server on an ephemeral port, its data in a fresh temp dir. */
export async function startTestServer(overrides: Partial<ConfigInput> = {}, options: AppOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-client-test-'));
  const app = await createApp(testConfig({ ...overrides, dataDir }), options);
  const url = await app.listen();
  return {
    url,
    async signUp(name) {
      userCount += 1;
      const username = `${name}${userCount}`;
      const password = 'correct horse battery staple';
      const api = new ParleyApi({ baseUrl: url });
      await api.register({ username, password, displayName: `${name[0]?.toUpperCase()}${name.slice(1)}` });
      const session = await api.login({ username, password, deviceName: 'test' });
      return { api, session, username, password };
    },
    async stop() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
