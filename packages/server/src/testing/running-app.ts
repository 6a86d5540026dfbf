import { createApp, type AppOptions } from '../app.js';
import type { RunningApp } from './running-app-handle.js';
import type { ConfigInput } from '../config.js';
import { tempDir } from './temp-dir.js';
import { testConfig, testsRunOnCluster } from './test-config.js';

export type { RunningApp } from './running-app-handle.js';

/**
 * Starts a real server on an ephemeral port with its data in a fresh temp dir
 * (or `dataDir`). With PARLEY_TEST_CLUSTER=1 (the vitest project `cluster`)
 * it starts a two-node cluster on PostgreSQL and NATS instead, behind one URL
 * (running-cluster.ts): the same tests then pass over two nodes.
 */
export async function startApp(overrides: Partial<ConfigInput> = {}, options: AppOptions = {}): Promise<RunningApp> {
  if (testsRunOnCluster()) {
    const { startCluster } = await import('./running-cluster.js');
    return startCluster(overrides, options);
  }
  const dir = overrides.dataDir === undefined ? tempDir() : undefined;
  const dataDir = overrides.dataDir ?? (dir as { path: string }).path;
  const app = await createApp(testConfig({ ...overrides, dataDir }), options);
  const url = await app.listen();
  return {
    app,
    apps: [app],
    url,
    nodeUrls: [url],
    dataDir,
    async stop({ keepData = false } = {}) {
      await app.close();
      if (!keepData) dir?.remove();
    },
  };
}
