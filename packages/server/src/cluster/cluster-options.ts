import { parseArgs } from 'node:util';

export interface ClusterOptions {
  /** How many nodes: node-1 … node-N, on the ports after `port`. */
  nodes: number;
  /** Where HAProxy listens: the one URL clients use. */
  host: string;
  port: number;
  databaseUrl: string;
  natsUrl: string;
  /** Holds the master key, the HAProxy configuration and one data dir per node. */
  dataDir: string;
}

export const clusterUsage = 'usage: parley cluster [--nodes N] [--port P] [--host H] [--database-url URL] [--nats-url URL] [--data-dir DIR]';

const nodesMax = 32;

/** The options of `parley cluster`, from its flags; the defaults suit one machine with the local PostgreSQL and NATS. */
export function parseClusterOptions(argv: string[]): ClusterOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      nodes: { type: 'string', default: '3' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/parley_cluster' },
      'nats-url': { type: 'string', default: 'nats://127.0.0.1:4222' },
      'data-dir': { type: 'string', default: './data/cluster' },
    },
  });
  const nodes = wholeNumber(values.nodes, 'nodes', 1, nodesMax);
  // The nodes listen on the ports right after HAProxy's.
  const port = wholeNumber(values.port, 'port', 1, 65_535 - nodes);
  return { nodes, host: values.host, port, databaseUrl: values['database-url'], natsUrl: values['nats-url'], dataDir: values['data-dir'] };
}

function wholeNumber(text: string, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}; ${clusterUsage}`);
  return value;
}
