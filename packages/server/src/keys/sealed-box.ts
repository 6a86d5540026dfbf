import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const version = 1;
const ivBytes = 12;
const tagBytes = 16;
/** version (1) | key id (4, big-endian) | iv (12) | tag (16) | ciphertext */
const headerBytes = 1 + 4 + ivBytes + tagBytes;

/**
 * AES-256-GCM with the key id in the header and associated data binding the
 * ciphertext to where it is stored: a box moved to another row fails to open.
 */
export function seal(key: Buffer, keyId: number, plaintext: Buffer, associatedData: string): Buffer {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.alloc(headerBytes);
  header.writeUInt8(version, 0);
  header.writeUInt32BE(keyId, 1);
  iv.copy(header, 5);
  cipher.getAuthTag().copy(header, 5 + ivBytes);
  return Buffer.concat([header, ciphertext]);
}

/** The key id a box was sealed with. */
export function keyIdOf(box: Buffer): number {
  if (box.length < headerBytes || box.readUInt8(0) !== version) throw new Error('not a sealed box');
  return box.readUInt32BE(1);
}

/** Opens a box; throws when the key, the associated data or a single bit is wrong. */
export function open(key: Buffer, box: Buffer, associatedData: string): Buffer {
  keyIdOf(box);
  const iv = box.subarray(5, 5 + ivBytes);
  const tag = box.subarray(5 + ivBytes, headerBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(box.subarray(headerBytes)), decipher.final()]);
}
