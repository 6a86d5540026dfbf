#!/usr/bin/env node
// The committed, executable entry (git keeps its mode), so `npx parley`,
// `npm link` and `npm install -g` work without a chmod after each build.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('parley: the CLI is not built yet: run npm run build in the Parley clone\n');
  process.exit(1);
}
await import(entry.href);
