#!/usr/bin/env node
import { runServer } from './run-server.js';

runServer(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
