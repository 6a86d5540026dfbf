import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';

export const masterKeyBytes = 32;

/**
 * Reads the master key file, or creates it (mode 0600, never overwriting)
 * when `mayCreate` says this is a fresh installation. The key only wraps
 * data keys; losing it loses every encrypted row, so it belongs on a volume or
 * secret mount of its own, never in an environment variable.
 */
export function loadMasterKey(path: string, mayCreate: boolean): Buffer {
  if (!existsSync(path)) {
    if (!mayCreate) {
      throw new Error(`the master key file ${path} is missing, and this database was encrypted with one: refusing to start`);
    }
    return createMasterKeyFile(path);
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    throw new Error(`the master key file ${path} is readable by others: chmod 600 it`);
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== masterKeyBytes) throw new Error(`the master key file ${path} does not hold a ${masterKeyBytes}-byte base64 key`);
  return key;
}

/**
 * Writes a new random master key to `path` (mode 0600) and returns it. Never
 * overwrites: an existing file is an error, since replacing a key makes every
 * row it protects unreadable. `parley keys create-master-key` uses it to make
 * the one key a cluster's nodes share (a node in cluster mode never creates one).
 */
export function createMasterKeyFile(path: string): Buffer {
  const key = randomBytes(masterKeyBytes);
  let descriptor: number;
  try {
    // O_EXCL: two processes starting at once cannot both write a key.
    descriptor = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) throw new Error(`the master key file ${path} already exists: it is never overwritten (the data it protects would be lost)`);
    throw error;
  }
  try {
    writeSync(descriptor, key.toString('base64') + '\n');
  } finally {
    closeSync(descriptor);
  }
  return key;
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
