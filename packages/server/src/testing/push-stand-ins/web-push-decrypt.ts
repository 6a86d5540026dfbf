import { createDecipheriv, hkdfSync, type ECDH } from 'node:crypto';

const recordTagBytes = 16;
const saltBytes = 16;
const uncompressedPointBytes = 65;

/**
 * Decrypts an `aes128gcm` Web Push message (RFC 8188 framing, RFC 8291 keys)
 * as a browser does, with the subscription's private key and auth secret:
 * header salt(16) ‖ rs(4) ‖ idlen(1) ‖ keyid (the sender's ephemeral public
 * key), then one record whose plaintext ends with the 0x02 delimiter and
 * zero padding. Throws on anything a browser would refuse.
 */
export function decryptWebPush(body: Buffer, subscriber: ECDH, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, saltBytes);
  const recordSize = body.readUInt32BE(saltBytes);
  const idLength = body[saltBytes + 4] ?? 0;
  if (idLength !== uncompressedPointBytes) throw new Error(`keyid must be the 65-byte sender key, got ${idLength} bytes`);
  const senderPublicKey = body.subarray(saltBytes + 5, saltBytes + 5 + idLength);
  const record = body.subarray(saltBytes + 5 + idLength);
  if (record.length > recordSize) throw new Error('a push message must be one record');

  // RFC 8291 §3.3–3.4: IKM from the ECDH secret and the auth secret, then RFC 8188's CEK and nonce.
  const sharedSecret = subscriber.computeSecret(senderPublicKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), subscriber.getPublicKey(), senderPublicKey]);
  const inputKey = Buffer.from(hkdfSync('sha256', sharedSecret, authSecret, keyInfo, 32));
  const contentKey = Buffer.from(hkdfSync('sha256', inputKey, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', inputKey, salt, Buffer.from('Content-Encoding: nonce\0'), 12));

  const decipher = createDecipheriv('aes-128-gcm', contentKey, nonce);
  decipher.setAuthTag(record.subarray(record.length - recordTagBytes));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - recordTagBytes)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the last record must end with the 0x02 delimiter');
  return padded.subarray(0, end);
}
