import { createHash, randomBytes } from 'node:crypto';

/** A device token: 256 random bits. Only its hash is stored. */
export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256 is enough here (unlike for passwords): a token has 256 bits of
 * entropy, so it cannot be guessed from its hash, and a fast hash keeps the
 * check on every request and every `hello` to one indexed lookup.
 */
export function hashDeviceToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
