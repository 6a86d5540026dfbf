import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

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
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'] } },
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
