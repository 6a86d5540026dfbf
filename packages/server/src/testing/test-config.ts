import { parseConfig, type Config, type ConfigInput } from '../config.js';

/**
 * Whether the tests' servers run as two-node clusters on PostgreSQL and NATS
 * (PARLEY_TEST_CLUSTER=1, which the vitest project `cluster` sets): see
 * running-cluster.ts.
 */
export const testsRunOnCluster = () => process.env.PARLEY_TEST_CLUSTER === '1';

/**
 * A configuration for tests: an ephemeral port, quiet logs, and limits loose
 * enough for a suite that registers many users from one address.
 */
export function testConfig(overrides: Partial<ConfigInput> & { dataDir: string }): Config {
  return parseConfig({
    port: 0,
    logLevel: 'silent',
    authRatePerMinute: 60_000,
    authBurst: 10_000,
    sendRatePerSecond: 10_000,
    sendBurst: 10_000,
    maxConnectionsPerIp: 10_000,
    maxSocketsPerIp: 10_000,
    handshakesPerIpPerSecond: 10_000,
    handshakeBurst: 10_000,
    shutdownGraceMs: 1_000,
    drainGraceMs: 0,
    ...overrides,
  });
}

/**
 * The configuration of the store `startApp` opens on `dataDir`, for a test
 * that reads or seeds it while no server runs: the dir's SQLite file, or on a
 * test cluster the database the dir names (made now when it names none).
 */
export async function testStoreConfig(dataDir: string): Promise<Config> {
  if (!testsRunOnCluster()) return testConfig({ dataDir });
  const { clusterStoreSettings } = await import('./test-cluster-store.js');
  return testConfig({ dataDir, ...(await clusterStoreSettings(dataDir)) });
}
