/**
 * Typed configuration with defaults and units, validated at start-up. Every
 * setting can come from a flag (`--max-frame-bytes 65536`) or the environment
 * (`PARLEY_MAX_FRAME_BYTES=65536`); flags win. `PORT` and `HOST` are also read
 * without the prefix, as hosting platforms set them.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultLimits } from '@parley/protocol';
import { pushConfigShape } from './push-config.js';

const int = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);
const flag = (fallback: boolean) => z.union([z.boolean(), z.stringbool()]).default(fallback);
/** A comma-separated list in flags and environment, an array in code. */
const list = z
  .union([z.array(z.string()), z.string().transform((text) => text.split(',').map((item) => item.trim()).filter(Boolean))])
  .default([]);

export const configSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: int(0, 8080).pipe(z.number().max(65_535)),
  dataDir: z.string().min(1).default('./data'),
  /**
   * The system of record: `sqlite`, one file in the data dir, or `postgres`,
   * shared by every node of a cluster. Setting `databaseUrl` chooses `postgres`.
   */
  store: z.enum(['sqlite', 'postgres']).default('sqlite'),
  /**
   * `postgres://user:password@host:port/database` of the cluster's PostgreSQL.
   * When set, the store is PostgreSQL and `masterKeyFile` is required.
   */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  /** Connections to PostgreSQL this node holds at most. */
  databasePoolSize: int(1, 10),
  /**
   * How nodes wake each other's sessions: `memory` (within this one process)
   * or `nats` (a cluster, through `natsUrl`). Unset: `nats` when `natsUrl` is
   * set, `memory` otherwise.
   */
  bus: z.enum(['memory', 'nats']).optional(),
  /** The NATS server(s) of a cluster, `nats://host:4222` (several: comma-separated). */
  natsUrl: z.string().min(1).optional(),
  /** Put before every NATS subject, so clusters sharing a NATS server stay apart: dot-separated tokens ending with a dot. */
  natsSubjectPrefix: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\.)+$/, 'must be letters, digits, _ or - tokens, each followed by a dot (e.g. parley.)')
    .default('parley.'),
  /**
   * `/metrics` moves to this port (on `metricsHost`) and off the public one.
   * Unset: `/metrics` is served on the public port.
   */
  metricsPort: z.coerce.number().int().min(0).max(65_535).optional(),
  metricsHost: z.string().min(1).default('127.0.0.1'),
  /** When set, `/metrics` answers only requests with `Authorization: Bearer <token>`; others get 401. */
  metricsToken: z.string().min(16, 'must be at least 16 characters').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines on a terminal, JSON lines otherwise; `pretty` or `json` to choose. */
  logFormat: z.enum(['auto', 'pretty', 'json']).default('auto'),

  /**
   * The master key that wraps the data keys of encryption at rest. Default:
   * `master.key` in the data dir, created (mode 0600) on first start. Keep it on
   * another volume or a secret mount; never in an environment variable.
   */
  masterKeyFile: z.string().min(1).optional(),
  /** The built web app served at `/`. Default: `packages/web/dist` beside the server (built by `npm run build`). */
  webDir: z.string().min(1).optional(),
  /** PEM certificate chain and key: with both, the server speaks HTTPS and WSS only. Reloaded on SIGHUP. */
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  /** Behind a load balancer that terminates TLS: take the client address from X-Forwarded-For. Off, the header is ignored. */
  trustProxy: flag(false),
  /**
   * Origins a browser may open a WebSocket or call the API from. Empty: only
   * the server's own origin. `*` allows any (not recommended).
   */
  allowedOrigins: list,
  /** Open WebSocket connections per client address; more are refused with 429. */
  maxConnectionsPerIp: int(1, 200),
  /**
   * TCP connections per client address, WebSockets and requests still being
   * sent included; more are closed at once. Not applied with `trustProxy`.
   */
  maxSocketsPerIp: int(1, 256),
  /** WebSocket handshakes per client address per second; a burst may use `handshakeBurst`. */
  handshakesPerIpPerSecond: int(1, 50),
  handshakeBurst: int(1, 200),
  /** A device unused this long loses its token. */
  tokenIdleExpiryMs: int(60_000, 90 * 24 * 60 * 60 * 1000),
  /**
   * Who may create an account: `open` (anyone who reaches the server),
   * `closed` (nobody: 403), or `invite` (a code from `parley invites create`).
   */
  registration: z.enum(['open', 'closed', 'invite']).default('open'),
  /**
   * The wall clock may drift this far from the monotonic clock before the
   * server treats it as stepped; idle token expiry, which deletes devices,
   * is then suspended until a restart.
   */
  clockStepToleranceMs: int(1_000, 10 * 60_000),
  /** Failed logins to one account, or from one address, before each further attempt waits (doubling, up to 15 min). */
  loginFailuresFree: int(1, 5),

  maxDevices: int(1, defaultLimits.maxDevices),
  maxGroupSize: int(2, defaultLimits.maxGroupSize),
  maxTextLength: int(1, defaultLimits.maxTextLength),
  maxBodyBytes: int(64, defaultLimits.maxBodyBytes),
  /** Levels of arrays and objects in a message body; deeper is `bad_request` and counts toward the 4400 close. */
  maxBodyDepth: int(2, defaultLimits.maxBodyDepth),
  /** A WebSocket frame above this closes the connection with 1009. */
  maxFrameBytes: int(1024, defaultLimits.maxFrameBytes),
  /** An HTTP request body above this is `413 too_large`. */
  maxHttpBodyBytes: int(1024, 256 * 1024),
  /** Request line and headers above this are refused by Node with 431. */
  maxHeaderBytes: int(1024, 8 * 1024),
  /** A client that has not sent its headers by then is disconnected. */
  headersTimeoutMs: int(1000, 10_000),
  helloTimeoutMs: int(100, defaultLimits.helloTimeoutMs),
  idleTimeoutMs: int(1000, defaultLimits.idleTimeoutMs),
  /** Unsent bytes a socket may hold; past it the connection is closed with 4503. */
  sendQueueBytesMax: int(64 * 1024, 1024 * 1024),
  /** Stream entries read from the store per page while replaying. */
  replayPageSize: int(1, 500),

  /** Sustained `send` frames per device per second; a burst may use `sendBurst`. */
  sendRatePerSecond: int(1, 20),
  sendBurst: int(1, 60),
  /** Typing frames forwarded per device per second; more are dropped. */
  typingRatePerSecond: int(1, 2),
  typingBurst: int(1, 5),
  /** A user stays online this long after their last device left, so a quick reconnect does not flap. */
  presenceGraceMs: int(0, 5_000),
  /** Registrations and logins per client IP per minute; a burst may use `authBurst`. */
  authRatePerMinute: int(1, 20),
  authBurst: int(1, 20),
  /** A link code for a new device works once, within this time. */
  linkCodeTtlMs: int(1_000, 60_000),
  /** Link codes one user may make per minute. */
  linkCodesPerMinute: int(1, 5),
  /**
   * Events every device active within this window has acked are deleted; a
   * device away longer is told to resync from history.
   */
  streamRetentionMs: int(60_000, 30 * 24 * 60 * 60 * 1000),
  /** Bad frames a connection may send in a row before it is closed with 4400. */
  badFramesMax: int(1, 10),
  /** `rate_limited` answers in a row before the connection is closed with 4429. */
  rateLimitStrikesMax: int(1, 50),

  /**
   * Acks of a connection gather this long before one write, so a burst of
   * acks costs one write and one receipt per sender. Acks are not durable
   * promises: one lost in a crash only replays events the client dedupes.
   */
  ackWriteDelayMs: int(0, 50),
  /** The same for acks that make no receipt (of the device's own messages, of receipts): they only move its pos. */
  quietAckWriteDelayMs: int(0, 1_000),
  /** Connections the kernel queues before the server accepts them: a reconnect storm overflows a small one. */
  listenBacklog: int(1, 4096),
  /** A background thread checkpoints the WAL this often, so commits never pay for a checkpoint. */
  checkpointIntervalMs: int(10, 200),
  /**
   * Syncs of the SQLite WAL start at least this far apart, so that writes
   * arriving within it share one: less CPU per write, for a wait of up to
   * this long before `sent` (docs/performance.md, the thirteenth pass).
   */
  syncIntervalMs: int(0, 5),
  /** Writes committed together at most (group commit). */
  groupCommitMaxWrites: int(1, 256),
  /**
   * A write waits this long for a lock held by another process (a backup, the
   * CLI) before it fails with `unavailable`; the wait never blocks the event loop.
   */
  storeBusyTimeoutMs: int(0, 5_000),
  /** `/readyz` answers 503 `disk_full` while the data dir's file system has less free space than this. */
  readyDiskFreeBytesMin: int(0, 16 * 1024 * 1024),
  /**
   * Start on a missing or empty database although the master key file exists.
   * Off, such a start is refused: it is what an unmounted data volume looks like.
   */
  allowEmptyDatabase: flag(false),
  /** Time given to open sockets and pending writes on shutdown. */
  shutdownGraceMs: int(0, 5_000),
  /**
   * On SIGTERM the node answers `/readyz` 503 `draining` at once and keeps
   * serving its sockets this long before it closes them with 1001: the load
   * balancer's health check must see it first (HAProxy at `inter 1s fall 2`
   * needs about 2 s), or clients would reconnect to this node again.
   * SIGINT (Ctrl-C at a terminal) does not wait.
   */
  drainGraceMs: int(0, 3_000),
  /**
   * This node's name among several behind a load balancer: `/readyz` names
   * it and every response carries it in `X-Parley-Node`, so an operator sees
   * which node answered. Unset: neither (nothing about the host is told).
   */
  nodeName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore, at most 64')
    .optional(),

  /** Push notifications: providers, privacy, retries (see push-config.ts and docs/push.md). */
  ...pushConfigShape,
}).refine((config) => config.bus !== 'nats' || config.natsUrl !== undefined, {
  message: '--bus nats needs --nats-url (PARLEY_NATS_URL)',
  path: ['natsUrl'],
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export const settingNames = Object.keys(configSchema.shape) as (keyof Config)[];

export const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
export const envName = (name: string) => `PARLEY_${kebab(name).replaceAll('-', '_').toUpperCase()}`;

/** Reads the configuration from flags and environment; throws a readable error when invalid. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const options = Object.fromEntries(settingNames.map((name) => [kebab(name), { type: 'string' as const }]));
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  const input: Record<string, string> = {};
  for (const name of settingNames) {
    const fromFlag = values[kebab(name)];
    const fromEnv = env[envName(name)] ?? (name === 'port' ? env.PORT : name === 'host' ? env.HOST : undefined);
    const value = typeof fromFlag === 'string' ? fromFlag : fromEnv;
    if (value !== undefined && value !== '') input[name] = value;
  }
  const result = configSchema.safeParse(input);
  if (!result.success) throw new Error(`Invalid configuration: ${result.error.issues.map((issue) => settingProblem(issue, input)).join('; ')}`);
  return result.data;
}

// A database URL may carry a password.
const secretSetting = /token|secret|private|databaseUrl/i;

/**
 * One problem in the words of the person who started the server: the flag and
 * variable they set and the value they gave, not the schema's field name.
 */
function settingProblem(issue: z.core.$ZodIssue, input: Record<string, string>): string {
  const name = issue.path[0];
  if (typeof name !== 'string' || !(name in configSchema.shape)) return `${issue.path.join('.') || 'settings'}: ${issue.message}`;
  // A secret is not repeated into a terminal or a log.
  const given = input[name] === undefined || secretSetting.test(name) ? '' : ` ${JSON.stringify(input[name])}`;
  const message = issue.code === 'invalid_type' && issue.expected === 'number' ? 'not a number' : issue.message;
  return `--${kebab(name)} (${envName(name)})${given}: ${message}`;
}

export function parseConfig(input: ConfigInput | Record<string, unknown>): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

/** JSON's worst case for one UTF-16 unit of text: a control character becomes `\u001f`. */
const jsonBytesPerCharacterMax = 6;
/** What a `send` frame adds around its body: type, id, conversation, with room to spare. */
const sendFrameOverheadBytes = 1024;

/**
 * Limits that could refuse what another limit allows: a text within
 * `maxTextLength` whose body exceeds `maxBodyBytes`, or a body within its
 * limit in a frame over `maxFrameBytes` (which closes the connection). The
 * defaults agree; each conflict is logged as a warning at start.
 */
export function limitConflicts(config: Pick<Config, 'maxTextLength' | 'maxBodyBytes' | 'maxFrameBytes'>): string[] {
  const conflicts: string[] = [];
  const textBodyBytes = config.maxTextLength * jsonBytesPerCharacterMax + '{"text":""}'.length;
  if (config.maxBodyBytes < textBodyBytes) {
    conflicts.push(`--max-body-bytes ${config.maxBodyBytes} is below the ${textBodyBytes} bytes a text of --max-text-length ${config.maxTextLength} characters may take: such a text can be refused as too_large`);
  }
  if (config.maxFrameBytes < config.maxBodyBytes + sendFrameOverheadBytes) {
    conflicts.push(`--max-frame-bytes ${config.maxFrameBytes} leaves no room for a body of --max-body-bytes ${config.maxBodyBytes}: such a send closes the connection with 1009`);
  }
  return conflicts;
}
