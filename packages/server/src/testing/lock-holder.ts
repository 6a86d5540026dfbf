import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

export interface LockHolder {
  /** Commits the other process's transaction, freeing the lock, and waits for it to exit. */
  release(): Promise<void>;
}

const holderSource = `
const Database = require(process.env.DRIVER_PATH);
const db = new Database(process.env.DATABASE_PATH, { fileMustExist: true });
db.pragma('busy_timeout = 10000');
db.exec('BEGIN IMMEDIATE');
console.log('locked');
process.stdin.once('data', () => {
  db.exec('COMMIT');
  db.close();
  process.exit(0);
});
`;

/**
 * Another process (as a backup tool or a second program would be) that takes
 * the database's write lock with BEGIN IMMEDIATE and holds it until released.
 */
export async function holdWriteLock(databasePath: string): Promise<LockHolder> {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', holderSource], {
    env: { ...process.env, DRIVER_PATH: driverPath, DATABASE_PATH: databasePath },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    lines.once('line', () => resolve());
    void exited.then(() => reject(new Error('the lock holder exited before taking the lock')));
  });
  return {
    async release() {
      child.stdin.end('release\n');
      await exited;
    },
  };
}
