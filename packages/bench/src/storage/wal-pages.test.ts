import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walCommits, walPagesByTable, walPagesReport } from './wal-pages.js';

describe('wal-pages', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A WAL-mode database whose WAL is never checkpointed, with `events` (indexed) and `other`. */
  function database(): { path: string; db: Database.Database } {
    const dir = mkdtempSync(join(tmpdir(), 'parley-wal-pages-test-'));
    dirs.push(dir);
    const path = join(dir, 'parley.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, user_id TEXT); CREATE INDEX events_by_user ON events (user_id); CREATE TABLE other (x TEXT);');
    return { path, db };
  }

  it('splits the current cycle of a WAL into its commits, and names the tables each wrote', () => {
    const { path, db } = database();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.prepare("INSERT INTO other VALUES ('a')").run();
    db.transaction(() => {
      db.prepare("INSERT INTO events (user_id) VALUES ('u_1')").run();
      db.prepare("INSERT INTO other VALUES ('b')").run();
    })();
    db.prepare("INSERT INTO other VALUES ('c')").run();

    expect(walCommits(readFileSync(`${path}-wal`)).map((pages) => pages.length)).toEqual([1, 3, 1]);
    const { withSplit, without } = walPagesByTable(path);
    expect(withSplit.commits).toBe(1);
    expect(withSplit.byTable.map(({ name }) => name).sort()).toEqual(['events', 'events_by_user', 'other']);
    expect(without).toMatchObject({ commits: 2, framesPerCommit: 1, byTable: [{ name: 'other', framesPerCommit: 1 }] });
    expect(walPagesReport({ withSplit, without })).toMatch(/the other commits: 2 commits, 1\.0 frames each\n {6}1\.0 {2}other/);
    db.close();
  });

  it('leaves out frames from an older cycle that a restarted WAL has not yet written over', () => {
    const { path, db } = database();
    for (const x of ['a', 'b', 'c', 'd']) db.prepare('INSERT INTO other VALUES (?)').run(x);
    // Restarts the WAL from its start with new salts, without truncating it.
    db.pragma('wal_checkpoint(RESTART)');
    db.prepare("INSERT INTO other VALUES ('e')").run();
    expect(walCommits(readFileSync(`${path}-wal`))).toHaveLength(1);
    db.close();
  });
});
