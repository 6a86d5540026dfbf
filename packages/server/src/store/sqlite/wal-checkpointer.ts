import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, inline so it runs the same from sources and from dist.
 * It checkpoints with its own connection, so copying WAL pages into the
 * database (and its fsync) happens off the event loop.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
`;

/**
 * Keeps the WAL short from a background thread, so that the writer's
 * commits never pay for a checkpoint. If the thread fails, `onFailure` is
 * told, and the writer should checkpoint by itself again.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(path: string, intervalMs: number, onFailure: (reason: string) => void) {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(workerSource, { eval: true, workerData: { path, intervalMs, driverPath } });
    this.worker.on('message', (message: string) => {
      if (message !== 'stopped') onFailure(message);
    });
    this.worker.on('error', (error) => onFailure(String(error)));
    this.worker.on('exit', () => {
      if (!this.stopped) onFailure('the checkpoint thread exited');
    });
    // A checkpointer alone must not keep the process alive.
    this.worker.unref();
  }

  /** Runs a last checkpoint and ends the thread. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const done = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    // Held until it has exited: with nothing else left to do, Node would end before the last checkpoint.
    this.worker.ref();
    this.worker.postMessage('stop');
    await done;
  }
}
