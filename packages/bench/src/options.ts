import { parseArgs } from 'node:util';

export const scenarios = ['direct', 'group', 'connections', 'storm', 'ramp', 'correctness', 'store', 'hotpath', 'cipher'] as const;
export type Scenario = (typeof scenarios)[number];

/** The relays Parley is compared with in the same run: `ws` stores nothing, `ws-sqlite` commits every message first. */
export const baselines = ['ws', 'ws-sqlite'] as const;
export type Baseline = (typeof baselines)[number];

/** Every option of `parley-bench`, with units in the names and defaults sized for a 2-core machine. */
export interface BenchOptions {
  scenario: Scenario;
  url: string | undefined;
  serverPid: number | undefined;
  serverScript: string | undefined;
  serverEnv: Record<string, string>;
  serverNodeArgs: string[];
  pin: boolean;
  /** Baselines run after Parley in direct, group, ramp and hotpath, in this order. */
  baselines: Baseline[];
  /** Shorter default timings: a smoke run, not a measurement. */
  quick: boolean;
  outDir: string;
  progress: boolean;
  warmupS: number;
  durationS: number;
  drainS: number;
  setupConcurrency: number;
  /** Connects in flight at once; undefined: 200, or all at once in the storm. */
  connectConcurrency: number | undefined;
  bodyBytes: number;
  ackIntervalMs: number;
  /** direct, ramp, correctness, store */
  pairs: number;
  /** Offered msg/s (open loop); undefined: closed loop. */
  rate: number | undefined;
  window: number;
  /** group */
  groups: number;
  members: number;
  senders: number;
  /** connections and storm */
  connections: number;
  devicesPerUser: number;
  missed: number;
  sourceAddresses: string[];
  /** ramp */
  p99Ms: number;
  startRate: number;
  stepRate: number;
  stepS: number;
  maxRate: number;
  /** correctness, and --verify beside the direct load */
  verify: boolean;
  sdkPairs: number;
  sdkMessages: number;
  /** store, cipher */
  messages: number;
  acks: boolean;
  encrypted: boolean;
  /** 0: checkpoints inside commits, SQLite's default. */
  checkpointIntervalMs: number;
  /**
   * store: measure the PostgreSQL store at this URL (a schema of its own, dropped after) instead of SQLite.
   * With --cluster-nodes: the PostgreSQL server the cluster's fresh database is made on.
   */
  databaseUrl: string | undefined;
  /** Nodes of a cluster to start behind HAProxy, on PostgreSQL and NATS; undefined: one embedded server. */
  clusterNodes: number | undefined;
  natsUrl: string;
  /** direct on a cluster: senders connect to the first node, receivers to the second, past HAProxy. */
  crossNode: boolean;
}

/** Scenarios that can run on a cluster: those whose load goes through `startTarget`, one server at a time. */
export const clusterScenarios: readonly Scenario[] = ['direct', 'correctness', 'group', 'ramp'];
/** Where a cluster's fresh database is made when --database-url is not given: the local PostgreSQL. */
export const defaultClusterDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
const defaultNatsUrl = 'nats://127.0.0.1:4222';
const clusterNodesMax = 8;

export const usage = `usage: parley-bench <${scenarios.join('|')}> [options]
       parley-bench report <result.json>…   (writes the HTML report of a result again)
       parley-bench wal-pages <parley.db>…  (what each commit in the WAL wrote, by table; safe on a running server)
       parley-bench hotpath [--pin] [--quick]  (every row of issue 13's targets in sequence, one table)

  --url URL                 drive a running server (default: start one on a temp data dir)
  --server-pid PID          with --url: the server's pid, to read its CPU and memory
  --server-env K=V          extra setting for the started server (repeatable)
  --server-node-arg ARG     option for the started server's Node, e.g. --cpu-prof (repeatable)
  --pin                     pin the server to CPU 0 and the generator to CPU 1 (taskset)
  --baselines LIST          relays to compare with, in the same run: ws, ws-sqlite, both (default) or none
  --no-baseline             the same as --baselines none
  --out-dir DIR             where results go (default ./bench-results)
  --quiet                   no progress line
  --warmup-s S --duration-s S --drain-s S     timing of each measured run (3, 15, 5)
  --quick                   short default timings for a smoke run (1, 4, 2; ramp steps of 2 s)
  --pairs N                 sender/receiver pairs (direct, ramp, store; default 100, store 1000)
  --rate R                  offered msg/s, open loop (direct, group; fractions allowed); without it: closed loop
  --window W                closed loop: unanswered sends per sender (default 4); store: appends in flight (400)
  --groups G --members M --senders S          group scenario (1, 100, 5)
  --connections N           idle connections (connections) or storm devices (storm)
  --devices-per-user D      devices per user, 1-5 (connections, storm; default 5)
  --missed K                events each storm device missed (default 100)
  --source-addresses A,B    127.0.0.x addresses to connect from (past ~28k connections)
  --p99-ms MS --start-rate R --step-rate R --step-s S --max-rate R   ramp (5, 1000, 1000, 5, 100000)
  --verify                  also run SDK clients and check nothing is lost, duplicated or reordered
  --sdk-pairs N --sdk-messages N               SDK check size (10, 200)
  --messages N              store: messages appended (default 40000); cipher: bodies sealed and opened (200000)
  --no-acks                 store: appends alone, without the acks and receipts each delivery causes
  --plain                   store: no encryption at rest (the server always encrypts)
  --checkpoint-interval-ms MS   store: background WAL checkpoints, as the server (default 200; 0: inside commits)
  --database-url URL        store: measure the PostgreSQL store at URL (in a schema of its own, dropped after)
  --cluster-nodes N         start N nodes behind HAProxy on PostgreSQL (a fresh database on --database-url's
                            server, dropped after; default the local one) and NATS (a random subject prefix);
                            direct, correctness, group, ramp
  --nats-url URL            with --cluster-nodes: the NATS server (default ${defaultNatsUrl})
  --cross-node              direct with --cluster-nodes >= 2: senders on node 1, receivers on node 2, past HAProxy
  --body-bytes N            text bytes per message (default 32; cipher 200)
  --ack-interval-ms MS      batch acks over MS (default 0: once per event-loop turn, like the SDK)
  --setup-concurrency N     HTTP requests (store: pairs) in flight during setup (16)
  --connect-concurrency N   connects in flight (200; the storm: all at once)`;

const integerOptions = {
  'server-pid': undefined, 'warmup-s': 3, 'duration-s': 15, 'drain-s': 5, 'setup-concurrency': 16, 'connect-concurrency': undefined,
  'body-bytes': 32, 'ack-interval-ms': 0, pairs: 100, rate: undefined, window: 4, groups: 1, members: 100, senders: 5,
  connections: 1000, 'devices-per-user': 5, missed: 100, 'p99-ms': 5, 'start-rate': 1000, 'step-rate': 1000, 'step-s': 5,
  'max-rate': 100_000, 'sdk-pairs': 10, 'sdk-messages': 200, messages: 40_000, 'checkpoint-interval-ms': 200,
} as const satisfies Record<string, number | undefined>;
type IntegerOption = keyof typeof integerOptions;

/**
 * Sizes of the scenarios without sockets. The store's window is the appends in flight in the whole process, not per
 * sender; the cipher's count makes a run of about two seconds, long enough for the per-value figures to settle.
 */
const scenarioDefaults: Partial<Record<Scenario, Partial<Record<IntegerOption, number>>>> = {
  store: { pairs: 1000, window: 400 },
  cipher: { messages: 200_000, 'body-bytes': 200 },
};

/** --quick: long enough to see every row work end to end, too short for figures worth quoting. */
const quickDefaults: Partial<Record<IntegerOption, number>> = { 'warmup-s': 1, 'duration-s': 4, 'drain-s': 2, 'step-s': 2 };

export function parseOptions(argv: string[]): BenchOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string' }, 'server-script': { type: 'string' }, 'server-env': { type: 'string', multiple: true },
      'server-node-arg': { type: 'string', multiple: true },
      pin: { type: 'boolean' }, baselines: { type: 'string' }, 'no-baseline': { type: 'boolean' }, quick: { type: 'boolean' },
      'out-dir': { type: 'string' }, quiet: { type: 'boolean' },
      'source-addresses': { type: 'string' }, verify: { type: 'boolean' }, help: { type: 'boolean' },
      'no-acks': { type: 'boolean' }, plain: { type: 'boolean' }, 'database-url': { type: 'string' },
      'cluster-nodes': { type: 'string' }, 'nats-url': { type: 'string' }, 'cross-node': { type: 'boolean' },
      ...Object.fromEntries(Object.keys(integerOptions).map((name) => [name, { type: 'string' as const }])),
    },
  });
  const scenario = positionals[0];
  if (values.help === true || scenario === undefined) throw new UsageError(usage);
  if (!(scenarios as readonly string[]).includes(scenario)) throw new UsageError(`unknown scenario ${scenario}\n\n${usage}`);
  const quick = values.quick === true;
  const defaults = { ...integerOptions, ...scenarioDefaults[scenario as Scenario], ...(quick ? quickDefaults : {}) };
  const integer = (name: IntegerOption): number | undefined => {
    const text = (values as Record<string, unknown>)[name];
    if (typeof text !== 'string') return defaults[name];
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a number >= 0, not ${text}`);
    return value;
  };
  const required = (name: IntegerOption): number => integer(name) ?? 0;
  const cluster = clusterOptions(scenario as Scenario, values['cluster-nodes'], values['cross-node'] === true);
  if (cluster.clusterNodes !== undefined && values.url !== undefined) throw new UsageError('--cluster-nodes starts its own cluster: it takes no --url');
  return {
    scenario: scenario as Scenario,
    url: values.url,
    serverPid: integer('server-pid'),
    serverScript: values['server-script'],
    serverEnv: parseEnv(values['server-env'] ?? []),
    serverNodeArgs: values['server-node-arg'] ?? [],
    pin: values.pin === true,
    baselines: values['no-baseline'] === true ? [] : parseBaselines(values.baselines ?? 'both'),
    quick,
    outDir: values['out-dir'] ?? 'bench-results',
    progress: values.quiet !== true,
    warmupS: required('warmup-s'), durationS: required('duration-s'), drainS: required('drain-s'),
    setupConcurrency: Math.max(1, required('setup-concurrency')), connectConcurrency: atLeastOne(integer('connect-concurrency')),
    bodyBytes: required('body-bytes'), ackIntervalMs: required('ack-interval-ms'),
    pairs: Math.max(1, required('pairs')), rate: integer('rate'), window: Math.max(1, required('window')),
    groups: Math.max(1, required('groups')), members: Math.max(2, required('members')), senders: Math.max(1, required('senders')),
    connections: Math.max(1, required('connections')), devicesPerUser: Math.min(5, Math.max(1, required('devices-per-user'))),
    missed: required('missed'), sourceAddresses: (values['source-addresses'] ?? '').split(',').filter((address) => address !== ''),
    p99Ms: required('p99-ms'), startRate: Math.max(1, required('start-rate')), stepRate: Math.max(1, required('step-rate')),
    stepS: Math.max(1, required('step-s')), maxRate: required('max-rate'),
    verify: values.verify === true, sdkPairs: Math.max(1, required('sdk-pairs')), sdkMessages: Math.max(1, required('sdk-messages')),
    messages: Math.max(1, required('messages')), acks: values['no-acks'] !== true, encrypted: values.plain !== true,
    checkpointIntervalMs: required('checkpoint-interval-ms'),
    databaseUrl: values['database-url'] ?? (cluster.clusterNodes === undefined ? undefined : defaultClusterDatabaseUrl),
    natsUrl: values['nats-url'] ?? defaultNatsUrl,
    ...cluster,
  };
}

function clusterOptions(scenario: Scenario, nodesText: string | undefined, crossNode: boolean): Pick<BenchOptions, 'clusterNodes' | 'crossNode'> {
  if (nodesText === undefined) {
    if (crossNode) throw new UsageError('--cross-node needs --cluster-nodes 2 or more');
    return { clusterNodes: undefined, crossNode };
  }
  const nodes = Number(nodesText);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > clusterNodesMax) {
    throw new UsageError(`--cluster-nodes must be a whole number from 1 to ${clusterNodesMax}, not ${nodesText}`);
  }
  if (!clusterScenarios.includes(scenario)) throw new UsageError(`--cluster-nodes works with ${clusterScenarios.join(', ')}, not ${scenario}`);
  if (crossNode && (nodes < 2 || scenario !== 'direct')) throw new UsageError('--cross-node needs the direct scenario and --cluster-nodes 2 or more');
  return { clusterNodes: nodes, crossNode };
}

const atLeastOne = (value: number | undefined) => (value === undefined ? undefined : Math.max(1, value));

function parseBaselines(text: string): Baseline[] {
  if (text === 'both') return [...baselines];
  if (text === 'none') return [];
  const named = text.split(',').filter((name) => name !== '');
  const unknown = named.find((name) => !(baselines as readonly string[]).includes(name));
  if (unknown !== undefined) throw new UsageError(`--baselines takes ${baselines.join(', ')}, both or none, not ${unknown}`);
  // In the tool's order whatever the order given: the bare relay first, as every report lists them.
  return baselines.filter((baseline) => named.includes(baseline));
}

function parseEnv(entries: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals <= 0) throw new UsageError(`--server-env wants KEY=VALUE, not ${entry}`);
    env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return env;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}
