import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The protocol suite: every test file whose servers `startApp` starts. The
 * project `cluster` runs them again with PARLEY_TEST_CLUSTER=1, where
 * `startApp` starts two nodes sharing PostgreSQL and NATS behind one URL that
 * spreads connections over both (testing/running-cluster.ts).
 */
const clusterSuite = [
  'packages/server/src/gateway/*.test.ts',
  'packages/server/src/http/**/*.test.ts',
  'packages/server/src/push/push-{credentials,decisions,delivery,registration}.test.ts',
  'packages/server/src/authorization-matrix.test.ts',
  'packages/server/src/chat-promises.property.test.ts',
  'packages/server/src/clock-steps.test.ts',
  'packages/server/src/edge/client-address.test.ts',
  'packages/server/src/fuzz.test.ts',
  'packages/server/src/group-device-promises.property.test.ts',
  'packages/server/src/server-shutdown.test.ts',
  'packages/server/src/storage-watch.test.ts',
];

/** Files the patterns above take that test SQLite itself, or start no server, each with why. */
const clusterSuiteExclusions = [
  // Parts of the gateway tested alone, on a WebSocket or a store of their own: no server to spread.
  'packages/server/src/gateway/{ack-writer,catch-up,catch-up-queue,stream-acks,stream-pump,upgrade-gate}.test.ts',
  // A full disk under the SQLite file (a tmpfs of the test's own): PostgreSQL's disk is not the node's.
  'packages/server/src/gateway/full-disk.test.ts',
  // SQLite's database lock held by another process.
  'packages/server/src/gateway/locked-database.test.ts',
  'packages/server/src/http/unavailable-request-log.test.ts',
  // The gate on SQLite's write-ahead log sync (the syncWal hook).
  'packages/server/src/gateway/sent-after-sync.test.ts',
  // A byte flipped in the SQLite file.
  'packages/server/src/gateway/unreadable-message.test.ts',
  // One node on a NATS server of its own that the test stops: what a node does for its own sessions while
  // NATS is down. Across nodes, a NATS outage is the cluster's chaos tests' subject.
  'packages/server/src/gateway/nats-outage.test.ts',
  // The built server as one process on the dir's SQLite, under SIGTERM; two server processes sharing PostgreSQL
  // and NATS are cluster/two-server-processes.test.ts's, and draining nodes the cluster tests'.
  'packages/server/src/server-shutdown.test.ts',
  // A push provider's access token and HTTP/2 connection are one process's cache: with two nodes, how many
  // tokens the stand-in issues depends on which node claims each job, not on the cache the test pins down.
  'packages/server/src/push/push-credentials.test.ts',
];

export default defineConfig({
  resolve: {
    // Tests run against the workspace sources, not a possibly stale dist/.
    alias: [
      { find: /^@parley\/protocol$/, replacement: source('./packages/protocol/src/index.ts') },
      { find: /^@parley\/client$/, replacement: source('./packages/client/src/index.ts') },
      { find: /^@parley\/client\/node$/, replacement: source('./packages/client/src/node.ts') },
      { find: /^@parley\/server$/, replacement: source('./packages/server/src/index.ts') },
    ],
  },
  test: {
    testTimeout: 30_000,
    // Hooks stop test clusters, and each drops its database: PostgreSQL's DROP DATABASE waits for an immediate
    // checkpoint, which under the whole suite's writes (thousands of files to sync) took up to 31 s here.
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'cluster',
          include: clusterSuite,
          exclude: clusterSuiteExclusions,
          env: { PARLEY_TEST_CLUSTER: '1' },
          // A test that stops its cluster drops its database, which may wait for a checkpoint (see hookTimeout).
          testTimeout: 90_000,
          // Names the run, and drops at the end every database its test clusters left.
          globalSetup: ['packages/server/src/testing/cluster-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'web-e2e',
          include: ['packages/web/e2e/**/*.test.ts'],
          // The app is built once before the browser tests; they drive Chromium against a real server.
          globalSetup: ['packages/web/e2e/build-web-app.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
