import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from './testing/temp-dir.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** Run in a fresh process on the built server: which drivers the composition root loads, and when. */
const probe = `
import { createRequire } from 'node:module';
const [dist, dataDir] = process.argv.slice(1);
const require = createRequire(import.meta.url);
const sqliteLoaded = () => Object.keys(require.cache).some((path) => path.includes('better-sqlite3'));
const pgLoaded = () => Object.keys(require.cache).some((path) => /node_modules[\\/]pg[\\/]/.test(path));
await import(dist + 'app.js');
const { openStore } = await import(dist + 'open-store.js');
const { parseConfig } = await import(dist + 'config.js');
const loadedByImports = sqliteLoaded();
const store = await openStore(parseConfig({ dataDir, store: 'sqlite' }));
console.log(JSON.stringify({ loadedByImports, loadedByOpening: sqliteLoaded(), pgLoaded: pgLoaded() }));
await store.close();
`;

describe('choosing the store from the configuration', () => {
  it('loads no database driver with the composition root, only once the configured store is opened', async () => {
    if (!existsSync(`${dist}app.js`)) throw new Error(`${dist}app.js is missing: run npm run build first`);
    const dir = tempDir();
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe, dist, dir.path]);
      // The PostgreSQL driver stays unloaded: only a database URL brings it in.
      expect(JSON.parse(stdout)).toEqual({ loadedByImports: false, loadedByOpening: true, pgLoaded: false });
    } finally {
      dir.remove();
    }
  });
});
