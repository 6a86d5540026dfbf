#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startRelayServer } from './relay-server.js';
import { SqliteRelayLog } from './sqlite-relay-log.js';

// A baseline relay as a process of its own, started by the bench tool:
// `--database <file>` makes it the ws + SQLite relay, without it the bare one.
// It logs one JSON line when listening, in the same shape as the Parley server.
const { values } = parseArgs({ options: { port: { type: 'string' }, database: { type: 'string' } } });
const log = values.database === undefined ? undefined : SqliteRelayLog.open(values.database);
const relay = await startRelayServer({ host: '127.0.0.1', port: Number(values.port ?? 0), ...(log === undefined ? {} : { log }) });
const { port: listeningPort } = new URL(relay.url);
console.log(JSON.stringify({ msg: 'relay is listening', host: '127.0.0.1', port: Number(listeningPort) }));
const stop = () =>
  void relay.close().then(() => {
    log?.close();
    process.exit(0);
  });
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
