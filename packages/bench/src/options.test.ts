import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from './options.js';

describe('the command line', () => {
  it('compares with both baseline relays unless told otherwise', () => {
    expect(parseOptions(['direct']).baselines).toEqual(['ws', 'ws-sqlite']);
    expect(parseOptions(['direct', '--baselines', 'ws-sqlite']).baselines).toEqual(['ws-sqlite']);
    expect(parseOptions(['direct', '--baselines', 'ws-sqlite,ws']).baselines).toEqual(['ws', 'ws-sqlite']);
    expect(parseOptions(['direct', '--baselines', 'none']).baselines).toEqual([]);
    expect(parseOptions(['direct', '--no-baseline']).baselines).toEqual([]);
  });

  it('refuses a baseline it does not know', () => {
    expect(() => parseOptions(['direct', '--baselines', 'ws,nats'])).toThrow(UsageError);
  });

  it('shortens the default timings with --quick, and keeps the ones given', () => {
    expect(parseOptions(['hotpath', '--quick'])).toMatchObject({ quick: true, warmupS: 1, durationS: 4, drainS: 2, stepS: 2 });
    expect(parseOptions(['hotpath', '--quick', '--duration-s', '10']).durationS).toBe(10);
    expect(parseOptions(['hotpath'])).toMatchObject({ quick: false, warmupS: 3, durationS: 15, drainS: 5 });
  });
});

describe('a cluster run on the command line', () => {
  it('starts no cluster unless asked, and makes its database on the local PostgreSQL when asked', () => {
    expect(parseOptions(['direct'])).toMatchObject({ clusterNodes: undefined, databaseUrl: undefined, crossNode: false });
    expect(parseOptions(['direct', '--cluster-nodes', '2'])).toMatchObject({
      clusterNodes: 2,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      natsUrl: 'nats://127.0.0.1:4222',
    });
    expect(parseOptions(['direct', '--cluster-nodes', '1', '--database-url', 'postgres://db:5433/x', '--nats-url', 'nats://n:4223'])).toMatchObject({
      databaseUrl: 'postgres://db:5433/x',
      natsUrl: 'nats://n:4223',
    });
  });

  it('refuses a node count out of range, a scenario that cannot run on a cluster, and a --url beside it', () => {
    expect(() => parseOptions(['direct', '--cluster-nodes', '0'])).toThrow(UsageError);
    expect(() => parseOptions(['direct', '--cluster-nodes', '1.5'])).toThrow(UsageError);
    expect(() => parseOptions(['store', '--cluster-nodes', '2'])).toThrow(/works with direct/);
    expect(() => parseOptions(['direct', '--cluster-nodes', '2', '--url', 'http://127.0.0.1:8080'])).toThrow(/no --url/);
  });

  it('takes --cross-node only for a direct load on two nodes or more', () => {
    expect(parseOptions(['direct', '--cluster-nodes', '2', '--cross-node']).crossNode).toBe(true);
    expect(() => parseOptions(['direct', '--cross-node'])).toThrow(UsageError);
    expect(() => parseOptions(['direct', '--cluster-nodes', '1', '--cross-node'])).toThrow(UsageError);
    expect(() => parseOptions(['group', '--cluster-nodes', '2', '--cross-node'])).toThrow(UsageError);
  });
});
