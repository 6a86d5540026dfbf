import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/**
 * Vitest global setup of the browser tests: builds the web app from the
 * workspace sources, so the server under test serves what the tests were
 * written against, never a stale build.
 */
export default async function buildWebApp(): Promise<void> {
  // Vitest sets NODE_ENV=test, which would make Vite and React build for development.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
