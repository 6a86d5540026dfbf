import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const walHeaderBytes = 32;
const frameHeaderBytes = 24;

/**
 * The page numbers of each commit in a WAL file's current cycle, in order
 * (https://www.sqlite.org/fileformat2.html, "The Write-Ahead Log"). A frame
 * belongs to the cycle while its salts match the header's: after a
 * checkpoint SQLite writes the file over from its start, and what follows
 * the new frames is left from an older cycle. A frame whose "size after
 * commit" is not zero ends a commit; frames after the last such one belong
 * to a transaction still being written and are left out.
 */
export function walCommits(wal: Buffer): number[][] {
  if (wal.length < walHeaderBytes) return [];
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  const commits: number[][] = [];
  let pages: number[] = [];
  for (let offset = walHeaderBytes; offset + frameHeaderBytes + pageSize <= wal.length; offset += frameHeaderBytes + pageSize) {
    if (wal.readUInt32BE(offset + 8) !== salt1 || wal.readUInt32BE(offset + 12) !== salt2) break;
    pages.push(wal.readUInt32BE(offset));
    if (wal.readUInt32BE(offset + 4) !== 0) {
      commits.push(pages);
      pages = [];
    }
  }
  return commits;
}

/** Commits of one kind, and the WAL frames they wrote per table or index, on average. */
export interface CommitGroup {
  commits: number;
  framesPerCommit: number;
  byTable: { name: string; framesPerCommit: number }[];
}

/**
 * What each commit of the WAL's current cycle wrote, by table and index:
 * commits that wrote a page of `splitBy` (Parley's `events`: a slice move
 * of the logs) apart from the others. Reads copies of the database and its
 * WAL, so a running server is not disturbed; a page the copy cannot place is
 * counted as `?` (freed since, or a pointer map).
 */
export function walPagesByTable(databasePath: string, splitBy = 'events'): { withSplit: CommitGroup; without: CommitGroup } {
  const copyDir = mkdtempSync(join(tmpdir(), 'parley-wal-pages-'));
  try {
    const copy = join(copyDir, 'copy.db');
    // The WAL first: frames appended between the two copies only add pages the database copy cannot place.
    const wal = readFileSync(`${databasePath}-wal`);
    copyFileSync(databasePath, copy);
    const commits = walCommits(wal);
    const owners = pageOwners(copy, wal);
    const named = commits.map((pages) => pages.map((page) => owners.get(page) ?? '?'));
    return {
      withSplit: groupOf(named.filter((names) => names.includes(splitBy))),
      without: groupOf(named.filter((names) => !names.includes(splitBy))),
    };
  } finally {
    rmSync(copyDir, { recursive: true, force: true });
  }
}

function pageOwners(copy: string, wal: Buffer): Map<number, string> {
  // Next to the copy, SQLite reads it through its WAL, so pages the WAL added are placed too.
  writeFileSync(`${copy}-wal`, wal);
  const db = new Database(copy);
  try {
    const rows = db.prepare<[], { name: string; pageno: number }>('SELECT name, pageno FROM dbstat').all();
    return new Map(rows.map((row) => [row.pageno, row.name]));
  } finally {
    db.close();
  }
}

function groupOf(commits: string[][]): CommitGroup {
  const frames = new Map<string, number>();
  let total = 0;
  for (const names of commits) {
    for (const name of names) frames.set(name, (frames.get(name) ?? 0) + 1);
    total += names.length;
  }
  const perCommit = (count: number) => (commits.length === 0 ? 0 : count / commits.length);
  return {
    commits: commits.length,
    framesPerCommit: perCommit(total),
    byTable: [...frames].sort((a, b) => b[1] - a[1]).map(([name, count]) => ({ name, framesPerCommit: perCommit(count) })),
  };
}

/** The two groups as lines of text, for the terminal. */
export function walPagesReport({ withSplit, without }: ReturnType<typeof walPagesByTable>, splitBy = 'events'): string {
  const line = (title: string, group: CommitGroup) =>
    `${title}: ${group.commits} commits, ${group.framesPerCommit.toFixed(1)} frames each\n` +
    group.byTable.map(({ name, framesPerCommit }) => `  ${framesPerCommit.toFixed(1).padStart(7)}  ${name}`).join('\n');
  return `${line(`commits that wrote ${splitBy} (slice moves)`, withSplit)}\n${line('the other commits', without)}`;
}
