import { KeyRing, newWrappedDataKey } from './keys/key-ring.js';
import { RowCipher } from './keys/row-cipher.js';

/** The part of encryption at rest that parley-bench's `cipher` scenario drives: what the store calls per message body. */
export type BenchCipher = Pick<RowCipher, 'sealBody' | 'openBody'>;

/**
 * Seals and opens message bodies as the store does, under one fresh data key
 * wrapped by `masterKey` (32 bytes), with no database: the cost of
 * encryption at rest alone (`parley-bench cipher`). It is the package's
 * `@parley/server/bench-cipher` entry, so the bench never reaches into the
 * server's modules.
 */
export function openBenchCipher(masterKey: Buffer): BenchCipher {
  return new RowCipher(new KeyRing(masterKey, [newWrappedDataKey(masterKey, 1)], 1));
}
