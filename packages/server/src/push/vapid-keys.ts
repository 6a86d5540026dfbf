import { chmodSync, existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import webPush from 'web-push';
import { z } from 'zod';

export interface VapidKeys {
  /** base64url of the uncompressed P-256 public key: what browsers get as `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
  /** A `mailto:` or `https:` contact the push services may use. */
  subject: string;
}

const storedKeysSchema = z.object({ publicKey: z.string().min(80), privateKey: z.string().min(40) });

export const vapidKeysFileName = 'vapid.json';

/**
 * Where the generated VAPID keys are kept: the data dir of a node on its own;
 * in a cluster (a database URL), beside the master key file that every node
 * shares. A key pair per node would be wrong there: a browser subscribed
 * with one node's public key refuses the pushes another node signs.
 */
export function vapidKeysDir(config: { dataDir: string; databaseUrl?: string | undefined; masterKeyFile?: string | undefined }): string {
  return config.databaseUrl !== undefined && config.masterKeyFile !== undefined ? dirname(config.masterKeyFile) : config.dataDir;
}

/**
 * The VAPID key pair: from configuration when both keys are set, else from
 * `vapid.json` in `directory` (see vapidKeysDir), made on first start. It must not change
 * afterwards: browsers bound their subscriptions to the public key, and a new
 * key would silently orphan every one of them.
 */
export function loadVapidKeys(
  directory: string,
  configured: { publicKey?: string | undefined; privateKey?: string | undefined; subject: string },
): VapidKeys {
  const { publicKey, privateKey, subject } = configured;
  if (publicKey !== undefined || privateKey !== undefined) {
    if (publicKey === undefined || privateKey === undefined) {
      throw new Error('Invalid configuration: VAPID needs both --vapid-public-key and --vapid-private-key (PARLEY_VAPID_PUBLIC_KEY, PARLEY_VAPID_PRIVATE_KEY)');
    }
    return { publicKey, privateKey, subject };
  }
  const path = join(directory, vapidKeysFileName);
  if (!existsSync(path)) createVapidKeysFile(path);
  const stored = storedKeysSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  return { ...stored, subject };
}

/**
 * Writes a new key pair to `path` unless one is there. Written whole or not
 * at all, readable by the server's user only (it holds a private key), and
 * linked into place, which fails if the file exists: of the nodes of a
 * cluster starting at once, one makes the keys and every node reads them.
 */
function createVapidKeysFile(path: string): void {
  const generated = webPush.generateVAPIDKeys();
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, JSON.stringify({ publicKey: generated.publicKey, privateKey: generated.privateKey }), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  try {
    linkSync(temporary, path);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}
