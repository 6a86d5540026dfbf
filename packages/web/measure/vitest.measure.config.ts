import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Runs the web app's measurements (`npm run measure:web`), kept out of
 * `npm test`: they take a minute and print figures instead of asserting.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@parley\/protocol$/, replacement: source('../../protocol/src/index.ts') },
      { find: /^@parley\/client$/, replacement: source('../../client/src/index.ts') },
      { find: /^@parley\/client\/node$/, replacement: source('../../client/src/node.ts') },
      { find: /^@parley\/server$/, replacement: source('../../server/src/index.ts') },
    ],
  },
  test: {
    root: source('../../..'),
    include: ['packages/web/measure/**/*.measure.ts'],
    globalSetup: ['packages/web/e2e/build-web-app.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
