import Database from 'better-sqlite3';

/** A relayed message as the durable relay keeps it: one row. */
export interface RelayRow {
  conversation: string;
  seq: number;
  id: string;
  sender: string;
  at: number;
  bodyJson: string;
}

interface Pending {
  row: RelayRow;
  onCommitted: () => void;
}

/**
 * The second baseline's durability: the least a relay does to keep the
 * promise Parley's `sent` makes (the message survives kill -9 and a power
 * loss). Every message is one INSERT into one table of a real SQLite file in
 * WAL mode with synchronous=FULL; the rows appended in one event-loop turn
 * are committed in one transaction at the end of the turn, and each row's
 * `onCommitted` runs only after that COMMIT returned. Nothing else is stored:
 * no acks, no receipts, no indexes but the rowid.
 */
export class SqliteRelayLog {
  private pending: Pending[] = [];
  private readonly insertAll: (rows: Pending[]) => void;

  private constructor(private readonly db: Database.Database) {
    const insert = db.prepare(
      'INSERT INTO messages (conversation, seq, id, sender, at, body) VALUES (@conversation, @seq, @id, @sender, @at, @bodyJson)',
    );
    this.insertAll = db.transaction((rows: Pending[]) => {
      for (const { row } of rows) insert.run(row);
    });
  }

  static open(path: string): SqliteRelayLog {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(
      'CREATE TABLE IF NOT EXISTS messages (conversation TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, sender TEXT NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL)',
    );
    return new SqliteRelayLog(db);
  }

  /** Queues the row for this turn's commit; `onCommitted` runs once the commit that holds it has returned. */
  append(row: RelayRow, onCommitted: () => void): void {
    this.pending.push({ row, onCommitted });
    // setImmediate runs after the poll phase: every frame read in this turn is in the batch by then.
    if (this.pending.length === 1) setImmediate(() => this.commit());
  }

  /** Commits what is queued, then closes the file. */
  close(): void {
    this.commit();
    this.db.close();
  }

  private commit(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    // A failed commit (disk full, I/O error) throws out of the relay: a baseline that lost rows would measure nothing.
    this.insertAll(batch);
    for (const { onCommitted } of batch) onCommitted();
  }
}
