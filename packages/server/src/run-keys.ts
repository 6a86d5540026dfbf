import { resolve } from 'node:path';
import { loadConfig } from './config.js';
import { createMasterKeyFile } from './keys/master-key.js';
import { openStore } from './open-store.js';

const reencryptBatchRows = 500;

/**
 * `parley keys rotate`: new writes use a new data key (a running server
 * follows within seconds); old rows stay readable.
 * `parley keys reencrypt`: moves rows written under older keys to the active
 * one, in small batches, so it can run beside a live server. A row that
 * cannot be decrypted is named, counted and left as it is: it is already
 * lost, and it must not keep the others under a key the operator wants gone.
 */
export async function runKeys(argv: string[], print: (line: string) => void = console.log, command = 'parley'): Promise<void> {
  const [action, ...rest] = argv;
  if (action === 'create-master-key') {
    print(createMasterKey(rest, command));
    return;
  }
  if (action !== 'rotate' && action !== 'reencrypt') {
    throw new Error(`usage: ${command} keys rotate|reencrypt [--data-dir DIR | --database-url URL] [--master-key-file FILE], or ${command} keys create-master-key --master-key-file FILE`);
  }
  const store = await openStore(loadConfig(rest, process.env), { besideServer: true });
  try {
    if (action === 'rotate') {
      print(`data key ${await store.rotateDataKey(Date.now())} is now used for new writes`);
      return;
    }
    let moved = 0;
    let unreadable = 0;
    for (let step = await store.reencrypt(reencryptBatchRows); ; step = await store.reencrypt(reencryptBatchRows, step.next)) {
      moved += step.moved;
      unreadable += step.unreadable.length;
      for (const row of step.unreadable) print(`skipped ${row}: it cannot be decrypted (damaged or tampered), so it stays under its old key`);
      if (step.next === undefined) break;
      // Yield between batches: other writers (a live server) get the lock in between.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    print(`re-encrypted ${moved} rows under the active data key` + (unreadable === 0 ? '' : `; skipped ${unreadable} that cannot be decrypted`));
  } finally {
    await store.close();
  }
}

/**
 * `parley keys create-master-key --master-key-file FILE`: the one master key
 * of a cluster, made once by the operator and copied to every node (a node
 * with a shared database never makes one: each would make its own). Refuses
 * to overwrite a file that exists. Returns what to tell the operator.
 */
function createMasterKey(argv: string[], command: string): string {
  const { masterKeyFile } = loadConfig(argv, process.env);
  if (masterKeyFile === undefined) throw new Error(`usage: ${command} keys create-master-key --master-key-file FILE (or PARLEY_MASTER_KEY_FILE)`);
  createMasterKeyFile(masterKeyFile);
  return `created the master key file ${resolve(masterKeyFile)} (mode 0600): copy it to every node, and back it up apart from the database`;
}
