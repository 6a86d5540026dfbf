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
    -- The body's JSON sealed with data key key_id, bound to (conversation_id, seq);
    -- key_id 0: plain UTF-8 (a store opened without a master key).
    body            BLOB NOT NULL,
    key_id          INTEGER NOT NULL,
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
  // Envelope encryption at rest: data keys wrapped by the master key, which
  // lives outside the database. One key is active for new writes.
  `
  CREATE TABLE data_keys (
    id         INTEGER PRIMARY KEY,
    wrapped    BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
  );
  CREATE UNIQUE INDEX data_keys_one_active ON data_keys (active) WHERE active = 1;
  `,
  // Push notifications: one registration per device, a durable queue of jobs
  // (one row per device and conversation, see push-queries.ts), and mutes.
  // Both tables go with their device: revoking it cascades.
  `
  CREATE TABLE push_registrations (
    device_id    TEXT PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id),
    provider     TEXT NOT NULL CHECK (provider IN ('fcm', 'apns', 'webpush', 'webhook')),
    -- SHA-256 of the token, endpoint or URL: unique, so one phone or browser is
    -- woken for one device only. The address itself is only in the sealed target.
    address_hash BLOB NOT NULL,
    -- SHA-256 of the target's JSON: a removal "if it is still this target" compares by it.
    target_hash  BLOB NOT NULL,
    -- The target's JSON, sealed with data key key_id and bound to the device (see RowCipher).
    target       BLOB NOT NULL,
    key_id       INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (provider, address_hash)
  ) WITHOUT ROWID;
  CREATE INDEX push_registrations_by_user ON push_registrations (user_id);

  CREATE TABLE push_jobs (
    device_id       TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    first_seq       INTEGER NOT NULL,
    -- Never goes back: a message is queued only above it (the dedupe key with the primary key).
    last_seq        INTEGER NOT NULL,
    -- Messages waiting to be notified; 0 when nothing waits.
    count           INTEGER NOT NULL,
    last_pos        INTEGER NOT NULL,
    due_at          INTEGER NOT NULL,
    attempts        INTEGER NOT NULL,
    PRIMARY KEY (device_id, conversation_id)
  ) WITHOUT ROWID;
  CREATE INDEX push_jobs_due ON push_jobs (due_at) WHERE count > 0;

  -- No pushes for the conversation before this time (ms); NULL: not muted.
  ALTER TABLE members ADD COLUMN muted_until INTEGER;
  `,
  // Blocking. A message to a direct conversation whose other member has
  // blocked the sender is kept for the sender only (withheld = 1).
  `
  CREATE TABLE blocks (
    user_id    TEXT NOT NULL REFERENCES users (id),
    blocked_id TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
  ) WITHOUT ROWID;
  CREATE INDEX blocks_by_blocked ON blocks (blocked_id);
  ALTER TABLE messages ADD COLUMN withheld INTEGER NOT NULL DEFAULT 0;
  `,
  // Stream and conversation heads are read from their newest row (heads.ts)
  // instead of counters. A stream whose newest events were compacted away
  // keeps its head through the floor; lifting the floor to a counter that ran
  // ahead of every remaining row keeps each head where it was.
  `
  UPDATE users SET stream_floor = last_pos
  WHERE last_pos > max(stream_floor, coalesce((SELECT max(pos) FROM events WHERE events.user_id = users.id), 0));
  ALTER TABLE users DROP COLUMN last_pos;
  ALTER TABLE conversations DROP COLUMN last_seq;
  `,
  // Registration by invite: codes an admin makes (parley invites create), by hash.
  `
  CREATE TABLE invites (
    code_hash  BLOB PRIMARY KEY,
    uses_left  INTEGER NOT NULL CHECK (uses_left >= 0),
    created_at INTEGER NOT NULL,
    expires_at INTEGER
  ) WITHOUT ROWID;
  `,
  // One row that readiness rewrites to find out whether the store can write
  // again after a failure (a full disk, a lock held by another process).
  // `filler` makes the probe as large as a large message.
  `
  CREATE TABLE write_probe (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    at     INTEGER NOT NULL,
    filler BLOB NOT NULL
  );
  `,
  // Group receipts are aggregates (chat/group-receipt-rule.ts): per member, the
  // newest of their own messages they were told every other member has
  // delivered, and has read. Receipts from before this version were per member
  // and stay as they were; the first aggregate covers everything up to it.
  // The two indexes find a group's lowest progress in one seek: every ack and
  // read in a group asks for it. Their expressions are the queries' own
  // (receipt-queries.ts), or SQLite does not use them.
  `
  ALTER TABLE members ADD COLUMN delivered_to_all_seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE members ADD COLUMN read_by_all_seq INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX members_by_delivered ON members (conversation_id, max(delivered_seq, joined_after_seq)) WHERE left_at_seq IS NULL;
  CREATE INDEX members_by_read ON members (conversation_id, max(read_seq, joined_after_seq)) WHERE left_at_seq IS NULL;
  `,
  // New stream events and messages are appended to logs in rowid order and
  // moved in bulk into `events` and `messages`, sorted by their keys (see
  // event-log.ts, message-log.ts): a batch's rows share a few pages instead
  // of dirtying one page per stream and per index.
  `
  CREATE TABLE event_log (
    id              INTEGER PRIMARY KEY,
    user_id         TEXT NOT NULL,
    pos             INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('message', 'receipt', 'conversation')),
    conversation_id TEXT NOT NULL,
    seq             INTEGER,
    data_json       TEXT,
    -- Moved a slice at a time (log-slices.ts), by user.
    slice           INTEGER NOT NULL
  );
  CREATE INDEX event_log_by_slice ON event_log (slice);

  -- New messages, likewise (message-log.ts), moved into messages sorted by
  -- (conversation_id, seq), so that a batch does not dirty a page of each
  -- of messages' two indexes per message.
  CREATE TABLE message_log (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    message_id      TEXT NOT NULL,
    sender_id       TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    at              INTEGER NOT NULL,
    body            BLOB NOT NULL,
    key_id          INTEGER NOT NULL,
    withheld        INTEGER NOT NULL,
    -- Moved a slice at a time, by conversation.
    slice           INTEGER NOT NULL
  );
  CREATE INDEX message_log_by_slice ON message_log (slice);
  `,
  // Only a group asks for its lowest members (chat/group-receipt-rule.ts), yet
  // every ack in a direct chat moved its entry in the two indexes above: two
  // more pages written whole to the WAL per commit. A member row now says
  // whether its conversation is a group (a conversation's kind never changes),
  // and the indexes hold group members alone. The queries repeat
  // `in_group = 1`, or SQLite does not use the partial indexes.
  `
  ALTER TABLE members ADD COLUMN in_group INTEGER NOT NULL DEFAULT 1;
  UPDATE members SET in_group = 0 WHERE conversation_id IN (SELECT id FROM conversations WHERE kind = 'direct');
  DROP INDEX members_by_delivered;
  DROP INDEX members_by_read;
  CREATE INDEX members_by_delivered ON members (conversation_id, max(delivered_seq, joined_after_seq)) WHERE left_at_seq IS NULL AND in_group = 1;
  CREATE INDEX members_by_read ON members (conversation_id, max(read_seq, joined_after_seq)) WHERE left_at_seq IS NULL AND in_group = 1;
  `,
  // A log row's slice now follows its key's order (log-slices.ts), and the
  // store keeps each slice's row ids in memory, rebuilt from the log at start:
  // the indexes by slice cost every commit a page per slice it appended to.
  // Rows that an older version logged carry a slice by hash, which the
  // accounts kept in memory would not find: they are moved out of the logs
  // here, as a move would.
  `
  DROP INDEX event_log_by_slice;
  DROP INDEX message_log_by_slice;
  INSERT INTO events (user_id, pos, kind, conversation_id, seq, data_json)
  SELECT user_id, pos, kind, conversation_id, seq, data_json FROM event_log ORDER BY user_id, pos;
  DELETE FROM event_log;
  INSERT INTO messages (conversation_id, seq, id, sender_id, device_id, at, body, key_id, withheld)
  SELECT conversation_id, seq, message_id, sender_id, device_id, at, body, key_id, withheld FROM message_log ORDER BY conversation_id, seq;
  DELETE FROM message_log;
  `,
  // A slice's move leaves its rows in the log and marks them moved here; a
  // round of the slices then deletes the rows every slice has moved in one
  // range of ids (log-moves.ts). Deleting a slice's rows at each move dirtied
  // a page in every part of the log.
  `
  CREATE TABLE log_moves (
    log         TEXT NOT NULL CHECK (log IN ('event_log', 'message_log')),
    slice       INTEGER NOT NULL,
    moved_up_to INTEGER NOT NULL,
    PRIMARY KEY (log, slice)
  ) WITHOUT ROWID;
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
