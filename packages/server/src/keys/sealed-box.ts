import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { assert } from '../lib/assert.js';
import { ivBytes } from './random-ivs.js';

const version = 1;
const tagBytes = 16;
const ivOffset = 1 + 4;
const tagOffset = ivOffset + ivBytes;
/** version (1) | key id (4, big-endian) | iv (12) | tag (16) | ciphertext */
const headerBytes = tagOffset + tagBytes;

/**
 * AES-256-GCM with the key id in the header and associated data binding the
 * ciphertext to where it is stored: a box moved to another row fails to open.
 * `iv` must never have been used with `key` before (see RandomIvs). The key is
 * a KeyObject made once per key, not raw bytes imported on every call.
 */
export function seal(key: KeyObject, keyId: number, iv: Buffer, plaintext: Buffer, associatedData: string): Buffer {
  assert(iv.length === ivBytes, `an AES-GCM IV is ${ivBytes} bytes`);
  const box = Buffer.allocUnsafe(headerBytes + plaintext.length);
  box.writeUInt8(version, 0);
  box.writeUInt32BE(keyId, 1);
  iv.copy(box, ivOffset);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  // GCM is a stream mode: update returns as many bytes as it reads, and final only computes the tag.
  assert(cipher.update(plaintext).copy(box, headerBytes) === plaintext.length, 'AES-GCM ciphertext is as long as its plaintext');
  assert(cipher.final().length === 0, 'AES-GCM has no bytes left at final');
  cipher.getAuthTag().copy(box, tagOffset);
  return box;
}

/** The key id a box was sealed with. */
export function keyIdOf(box: Buffer): number {
  if (box.length < headerBytes || box.readUInt8(0) !== version) throw new Error('not a sealed box');
  return box.readUInt32BE(1);
}

/** Opens a box; throws when the key, the associated data or a single bit is wrong. */
export function open(key: KeyObject, box: Buffer, associatedData: string): Buffer {
  keyIdOf(box);
  const decipher = createDecipheriv('aes-256-gcm', key, box.subarray(ivOffset, tagOffset), { authTagLength: tagBytes });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(box.subarray(tagOffset, headerBytes));
  const plaintext = decipher.update(box.subarray(headerBytes));
  // final checks the tag and throws on a mismatch; only then is the plaintext returned.
  assert(decipher.final().length === 0, 'AES-GCM has no bytes left at final');
  return plaintext;
}
