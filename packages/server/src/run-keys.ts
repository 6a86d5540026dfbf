import { loadConfig } from './config.js';
import { openStore } from './open-store.js';

const reencryptBatchRows = 500;

/**
 * `parley keys rotate`: new writes use a new data key (a running server
 * follows within seconds); old rows stay readable.
 * `parley keys reencrypt`: moves rows written under older keys to the active
 * one, in small batches, so it can run beside a live server.
 */
export async function runKeys(argv: string[], print: (line: string) => void = console.log): Promise<void> {
  const [action, ...rest] = argv;
  if (action !== 'rotate' && action !== 'reencrypt') throw new Error('usage: parley keys rotate|reencrypt [--data-dir DIR] [--master-key-file FILE]');
  const store = await openStore(loadConfig(rest, process.env), { besideServer: true });
  try {
    if (action === 'rotate') {
      print(`data key ${await store.rotateDataKey(Date.now())} is now used for new writes`);
      return;
    }
    let total = 0;
    for (let moved = await store.reencrypt(reencryptBatchRows); moved > 0; moved = await store.reencrypt(reencryptBatchRows)) {
      total += moved;
      // Yield between batches: other writers (a live server) get the lock in between.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    print(`re-encrypted ${total} rows under the active data key`);
  } finally {
    await store.close();
  }
}
