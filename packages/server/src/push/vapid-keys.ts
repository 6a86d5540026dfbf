import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * The VAPID key pair set in configuration (both keys, or neither: undefined).
 * It must not change once devices registered: browsers bound their
 * subscriptions to the public key, and a new key would silently orphan every
 * one of them.
 */
export function configuredVapidKeys(configured: { publicKey?: string | undefined; privateKey?: string | undefined; subject: string }): VapidKeys | undefined {
  const { publicKey, privateKey, subject } = configured;
  if (publicKey === undefined && privateKey === undefined) return undefined;
  if (publicKey === undefined || privateKey === undefined) {
    throw new Error('Invalid configuration: VAPID needs both --vapid-public-key and --vapid-private-key (PARLEY_VAPID_PUBLIC_KEY, PARLEY_VAPID_PRIVATE_KEY)');
  }
  return { publicKey, privateKey, subject };
}

/** The pair kept in `vapid.json` in `dataDir`, made there the first time it is asked for. */
export function vapidKeysInDataDir(dataDir: string, subject: string): VapidKeys {
  const path = join(dataDir, vapidKeysFileName);
  if (existsSync(path)) {
    const stored = storedKeysSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    return { ...stored, subject };
  }
  const generated = webPush.generateVAPIDKeys();
  // Written whole or not at all, readable by the server's user only: it holds a private key.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ publicKey: generated.publicKey, privateKey: generated.privateKey }), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return { publicKey: generated.publicKey, privateKey: generated.privateKey, subject };
}
