import type { PoolClient } from 'pg';

/**
 * The PostgreSQL schema, one entry per version; `schema_migrations` lists the
 * versions applied. Entries are only ever appended: an entry once released is
 * never edited, because databases in the field have already run it.
 *
 * Every hot table leads its key with the column a sharded engine would
 * distribute it on: `messages` and `members` on conversation_id, `events`,
 * `devices`' lookups and `blocks` on user_id (docs/cluster.md, "Mapping onto
 * Citus"). Times and counters are BIGINT (ms, seq, pos), blobs BYTEA. Text
 * keys use the "C" collation: byte order, as SQLite sorts, whatever locale the
 * database was created with, and cheaper to compare.
 *
 * Heads are counters on their row (`conversations.last_seq`, `users.last_pos`),
 * bumped under that row's lock by the write that inserts the numbered row, so
 * writers on several nodes never hand out one seq or pos twice.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE users (
    id                text COLLATE "C" PRIMARY KEY,
    username          text COLLATE "C" NOT NULL UNIQUE,
    display_name      text COLLATE "C" NOT NULL,
    password_hash     text NOT NULL,
    created_at        bigint NOT NULL,
    last_seen_setting text NOT NULL DEFAULT 'everyone' CHECK (last_seen_setting IN ('everyone', 'nobody')),
    last_seen_at      bigint,
    -- The newest pos of the user's stream, and the pos at or below which events were compacted away.
    last_pos          bigint NOT NULL DEFAULT 0,
    stream_floor      bigint NOT NULL DEFAULT 0
  );

  CREATE TABLE devices (
    id             text COLLATE "C" PRIMARY KEY,
    user_id        text COLLATE "C" NOT NULL REFERENCES users (id),
    name           text NOT NULL,
    token_hash     bytea NOT NULL UNIQUE,
    created_at     bigint NOT NULL,
    last_active_at bigint NOT NULL,
    acked_pos      bigint NOT NULL
  );
  CREATE INDEX devices_by_user ON devices (user_id);

  CREATE TABLE conversations (
    id         text COLLATE "C" PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('direct', 'group')),
    name       text NOT NULL DEFAULT '',
    created_at bigint NOT NULL,
    created_by text COLLATE "C" NOT NULL,
    -- The newest message's seq and time: set by the append that holds this row's lock.
    last_seq   bigint NOT NULL DEFAULT 0,
    last_at    bigint,
    -- The sorted pair 'userA:userB' of a direct conversation: at most one per pair. NULL for groups.
    direct_key text COLLATE "C" UNIQUE
  );

  CREATE TABLE members (
    conversation_id      text COLLATE "C" NOT NULL REFERENCES conversations (id),
    user_id              text COLLATE "C" NOT NULL REFERENCES users (id),
    role                 text NOT NULL CHECK (role IN ('admin', 'member')),
    joined_at            bigint NOT NULL,
    joined_after_seq     bigint NOT NULL,
    left_at_seq          bigint,
    delivered_seq        bigint NOT NULL DEFAULT 0,
    read_seq             bigint NOT NULL DEFAULT 0,
    delivered_to_all_seq bigint NOT NULL DEFAULT 0,
    read_by_all_seq      bigint NOT NULL DEFAULT 0,
    muted_until          bigint,
    PRIMARY KEY (conversation_id, user_id)
  );
  CREATE INDEX members_by_user ON members (user_id);

  CREATE TABLE messages (
    conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id),
    seq             bigint NOT NULL,
    id              text COLLATE "C" NOT NULL,
    sender_id       text COLLATE "C" NOT NULL,
    -- No foreign key: a message outlives the device that sent it.
    device_id       text COLLATE "C" NOT NULL,
    at              bigint NOT NULL,
    -- The body's JSON sealed with data key key_id, bound to (conversation_id, seq); key_id 0: plain UTF-8.
    body            bytea NOT NULL,
    key_id          integer NOT NULL,
    withheld        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (conversation_id, seq)
  );
  CREATE UNIQUE INDEX messages_by_sender_and_id ON messages (sender_id, id);

  -- A message event holds only (conversation_id, seq), joined with messages on read.
  CREATE TABLE events (
    user_id         text COLLATE "C" NOT NULL REFERENCES users (id),
    pos             bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('message', 'receipt', 'conversation')),
    conversation_id text COLLATE "C" NOT NULL,
    seq             bigint,
    data_json       text,
    PRIMARY KEY (user_id, pos)
  );

  CREATE TABLE link_codes (
    code_hash  bytea PRIMARY KEY,
    user_id    text COLLATE "C" NOT NULL REFERENCES users (id),
    created_by text COLLATE "C" NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX link_codes_by_expiry ON link_codes (expires_at);

  CREATE TABLE data_keys (
    id         integer PRIMARY KEY,
    wrapped    bytea NOT NULL,
    created_at bigint NOT NULL,
    active     boolean NOT NULL DEFAULT false
  );
  CREATE UNIQUE INDEX data_keys_one_active ON data_keys (active) WHERE active;

  CREATE TABLE push_registrations (
    device_id    text COLLATE "C" PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    user_id      text COLLATE "C" NOT NULL REFERENCES users (id),
    provider     text NOT NULL CHECK (provider IN ('fcm', 'apns', 'webpush', 'webhook')),
    address_hash bytea NOT NULL,
    target_hash  bytea NOT NULL,
    target       bytea NOT NULL,
    key_id       integer NOT NULL,
    created_at   bigint NOT NULL,
    UNIQUE (provider, address_hash)
  );
  CREATE INDEX push_registrations_by_user ON push_registrations (user_id);

  -- One row per device and conversation (chat/push-queue-rule.ts). A claimed
  -- job is leased by moving due_at to the lease's end.
  CREATE TABLE push_jobs (
    device_id       text COLLATE "C" NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    conversation_id text COLLATE "C" NOT NULL,
    user_id         text COLLATE "C" NOT NULL,
    first_seq       bigint NOT NULL,
    last_seq        bigint NOT NULL,
    count           bigint NOT NULL,
    last_pos        bigint NOT NULL,
    due_at          bigint NOT NULL,
    attempts        bigint NOT NULL,
    PRIMARY KEY (device_id, conversation_id)
  );
  CREATE INDEX push_jobs_due ON push_jobs (due_at) WHERE count > 0;

  CREATE TABLE blocks (
    user_id    text COLLATE "C" NOT NULL REFERENCES users (id),
    blocked_id text COLLATE "C" NOT NULL REFERENCES users (id),
    created_at bigint NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
  );
  CREATE INDEX blocks_by_blocked ON blocks (blocked_id);

  CREATE TABLE invites (
    code_hash  bytea PRIMARY KEY,
    uses_left  bigint NOT NULL CHECK (uses_left >= 0),
    created_at bigint NOT NULL,
    expires_at bigint
  );

  -- The row readiness rewrites to learn whether the store can write again after a failure.
  CREATE TABLE write_probe (
    id integer PRIMARY KEY CHECK (id = 1),
    at bigint NOT NULL
  );
  `,
  `
  -- Failed logins per key ('account:<username>', 'ip:<address>'), shared by the nodes so the throttle holds cluster-wide.
  CREATE TABLE login_failures (
    key     text COLLATE "C" PRIMARY KEY,
    count   bigint NOT NULL,
    last_at bigint NOT NULL
  );
  CREATE INDEX login_failures_by_last_at ON login_failures (last_at);
  `,
];

/** The version a fresh database reaches. */
export const schemaVersion = migrations.length;

/**
 * Any constant of our own: nodes starting at once queue on this lock, so one
 * migrates and the others find the schema current.
 */
const migrationLockKey = 0x7061726c; // 'parl'

/**
 * Brings the schema up to date in one transaction, under a transaction-level
 * advisory lock: several nodes may start at once. Refuses a database whose
 * schema is newer than this server's.
 */
export async function migrate(client: PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(`the database has schema version ${current}, newer than this server's ${migrations.length}`);
    }
    for (let version = current + 1; version <= migrations.length; version++) {
      const sql = migrations[version - 1];
      if (sql === undefined) throw new Error(`missing migration ${version}`);
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
