import type Database from 'better-sqlite3';

/**
 * The schema, one entry per version: `PRAGMA user_version` holds how many have
 * run. Entries are only ever appended; an entry once released is never edited,
 * because databases in the field have already run it.
 *
 * Every hot table is keyed by the conversation or the user id, so the same
 * layout ports to PostgreSQL and to engines that shard on the first key column.
 * Small-row tables are WITHOUT ROWID so the primary key is the storage order;
 * `messages` keeps a rowid because bodies of up to 64 KiB would overflow
 * clustered index pages.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    username          TEXT NOT NULL UNIQUE,
    display_name      TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    last_seen_setting TEXT NOT NULL DEFAULT 'everyone' CHECK (last_seen_setting IN ('everyone', 'nobody')),
    -- The newest pos of the user's event stream: bumped in the transaction that inserts the event.
    last_pos          INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;

  CREATE TABLE devices (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id),
    name           TEXT NOT NULL,
    token_hash     BLOB NOT NULL UNIQUE,
    created_at     INTEGER NOT NULL,
    last_active_at INTEGER NOT NULL,
    acked_pos      INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX devices_by_user ON devices (user_id);

  CREATE TABLE conversations (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
    name       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    -- The sorted pair 'userA:userB' of a direct conversation: the unique index
    -- is what keeps it to one per pair. NULL for groups.
    direct_key TEXT UNIQUE
  ) WITHOUT ROWID;

  CREATE TABLE members (
    conversation_id  TEXT NOT NULL REFERENCES conversations (id),
    user_id          TEXT NOT NULL REFERENCES users (id),
    role             TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    joined_at        INTEGER NOT NULL,
    joined_after_seq INTEGER NOT NULL,
    left_at_seq      INTEGER,
    delivered_seq    INTEGER NOT NULL DEFAULT 0,
    read_seq         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX members_by_user ON members (user_id);

  CREATE TABLE messages (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    seq             INTEGER NOT NULL,
    id              TEXT NOT NULL,
    sender_id       TEXT NOT NULL,
    -- No foreign key: a message outlives the device that sent it.
    device_id       TEXT NOT NULL,
    at              INTEGER NOT NULL,
    body_json       TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (sender_id, id)
  );

  -- A message event holds only (conversation_id, seq) and is joined with
  -- messages on read, so a message to a big group is stored once.
  CREATE TABLE events (
    user_id         TEXT NOT NULL REFERENCES users (id),
    pos             INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('message', 'receipt', 'conversation')),
    conversation_id TEXT NOT NULL,
    seq             INTEGER,
    data_json       TEXT,
    PRIMARY KEY (user_id, pos)
  ) WITHOUT ROWID;
  `,
  // Presence, stream retention and device linking. Receipts need no new index:
  // they read events by (user_id, pos), messages by (conversation_id, seq) and
  // members by (conversation_id, user_id), all primary keys.
  `
  ALTER TABLE users ADD COLUMN last_seen_at INTEGER;
  -- Events at or below this pos were compacted away; never lowered.
  ALTER TABLE users ADD COLUMN stream_floor INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE link_codes (
    code_hash  BLOB PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    -- The device that made the code; no foreign key, the code may outlive it until it expires.
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- Expired codes are swept by range when new codes are made.
  CREATE INDEX link_codes_by_expiry ON link_codes (expires_at);
  `,
];

/** The version a fresh database reaches. */
export const schemaVersion = migrations.length;

/**
 * Brings the schema up to `toVersion` (the newest unless a test builds an old
 * database to upgrade); each step commits with its version number.
 */
export function migrate(db: Database.Database, toVersion: number = schemaVersion): void {
  const current = db.pragma('user_version', { simple: true });
  if (typeof current !== 'number') throw new Error(`user_version is not a number: ${String(current)}`);
  if (current > migrations.length) {
    throw new Error(`the database has schema version ${current}, newer than this server's ${migrations.length}`);
  }
  const step = db.transaction((version: number, sql: string) => {
    db.exec(sql);
    // PRAGMA takes no bound parameters; version is a number we made.
    db.pragma(`user_version = ${version}`);
  });
  for (let version = current + 1; version <= Math.min(toVersion, migrations.length); version++) {
    const sql = migrations[version - 1];
    if (sql === undefined) throw new Error(`missing migration ${version}`);
    step.immediate(version, sql);
  }
}
