import { join } from 'node:path';
import { createApp, type App, type AppOptions } from '../app.js';
import { vapidKeysInDataDir } from '../push/vapid-keys.js';
import type { ConfigInput } from '../config.js';
import { randomSubjectPrefix, sharedNatsUrl } from './nats-test-server.js';
import { startRoundRobinProxy } from './round-robin-proxy.js';
import type { RunningApp } from './running-app-handle.js';
import { clusterStoreSettings, dropClusterDatabase } from './test-cluster-store.js';
import { tempDir } from './temp-dir.js';
import { testConfig } from './test-config.js';

/** Nodes of a test cluster: two, the fewest that make every delivery a possible cross-node one. */
const nodeCount = 2;

/**
 * A node's PostgreSQL connections in a test cluster (one write lane and one
 * for reads would do; two of each keep group commit's concurrency): tests run
 * in parallel processes, several clusters at once, on one PostgreSQL.
 */
const testDatabasePoolSize = 4;

/**
 * Starts what `startApp` starts, as a cluster of two nodes in this process:
 * one PostgreSQL database and one master key file shared, one NATS with a
 * subject prefix of the cluster's own, each node a data dir of its own below
 * `dataDir`. The URL is a round-robin proxy in front of both, so a test's
 * connections alternate between the nodes (a WebSocket or an HTTP keep-alive
 * connection stays on its node). `app` is node 1's; `options` (clock,
 * logger, hooks) go to both.
 */
export async function startCluster(overrides: Partial<ConfigInput> = {}, options: AppOptions = {}): Promise<RunningApp> {
  const dir = overrides.dataDir === undefined ? tempDir() : undefined;
  const dataDir = overrides.dataDir ?? (dir as { path: string }).path;
  const store = await clusterStoreSettings(dataDir);
  const natsSubjectPrefix = randomSubjectPrefix();
  // Nodes on one database never make a Web Push key pair of their own: the cluster's operator gives all one pair.
  const vapid = vapidKeysInDataDir(dataDir, 'mailto:parley@localhost');
  const configs = Array.from({ length: nodeCount }, (_, index) =>
    testConfig({
      databasePoolSize: testDatabasePoolSize,
      natsUrl: sharedNatsUrl,
      natsSubjectPrefix,
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
      ...store,
      ...overrides,
      dataDir: join(dataDir, `node-${index + 1}`),
      nodeName: `node-${index + 1}`,
    }),
  );
  // Started together, as a cluster's nodes often are: the migration runs once, under its lock.
  const started = await Promise.allSettled(configs.map((config) => createApp(config, options)));
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    const refused = started.find((result) => result.status === 'rejected');
    if (refused !== undefined) throw refused.reason;
    const urls = await Promise.all(nodes.map((node) => node.listen()));
    const proxy = await startRoundRobinProxy(urls.map((url) => new URL(url)));
    const scheme = new URL(urls[0] as string).protocol;
    return {
      app: nodes[0] as App,
      apps: nodes,
      url: proxy.url.replace(/^http:/, scheme),
      nodeUrls: urls,
      dataDir,
      async stop({ keepData = false } = {}) {
        await Promise.all(nodes.map((node) => node.close()));
        await proxy.close();
        if (keepData) return;
        await dropClusterDatabase(dataDir);
        dir?.remove();
      },
    };
  } catch (error) {
    await Promise.all(nodes.map((node) => node.close()));
    if (dir !== undefined) {
      await dropClusterDatabase(dataDir);
      dir.remove();
    }
    throw error;
  }
}
