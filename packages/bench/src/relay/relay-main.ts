#!/usr/bin/env node
import { startRelayServer } from './relay-server.js';

// The baseline relay as a process of its own, started by the bench tool. It
// logs one JSON line when listening, in the same shape as the Parley server.
const portIndex = process.argv.indexOf('--port');
const port = portIndex < 0 ? 0 : Number(process.argv[portIndex + 1]);
const relay = await startRelayServer({ host: '127.0.0.1', port });
const { port: listeningPort } = new URL(relay.url);
console.log(JSON.stringify({ msg: 'relay is listening', host: '127.0.0.1', port: Number(listeningPort) }));
const stop = () => void relay.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
