import { randomFillSync } from 'node:crypto';

/** AES-GCM's 96-bit IV: the size GCM uses directly, without hashing it into a counter block. */
export const ivBytes = 12;

/** IVs drawn per call to the CSPRNG: 341 of them, 4 KiB less 4 bytes. */
const ivsPerDraw = 341;

/**
 * Uniformly random 96-bit IVs for AES-GCM, drawn from the CSPRNG a block at
 * a time instead of one call per seal.
 *
 * Why random rather than a per-process prefix and a counter: several
 * processes seal under one data key (a server and `parley keys reencrypt`
 * beside it, several nodes in cluster mode, every restart), and none knows
 * what the others used. A counter is only safe while every process's prefix
 * is unique, which no process can check; a random prefix turns that into a
 * birthday bound over process starts (crash loops and autoscaling spend it),
 * and one collision repeats nonces for as long as both counters overlap.
 * Random IVs need no state across processes or restarts: each is an
 * independent uniform draw, so the only risk is the birthday bound over all
 * seals under one key, about n^2 / 2^97 for n seals. NIST SP 800-38D caps
 * random IVs at 2^32 seals per key (a repeat chance below 2^-32); rotating
 * with `parley keys rotate` keeps each key far below that
 * (docs/operations.md, "Encryption keys and their rotation").
 *
 * Each draw fills a new buffer, and the IVs handed out are views into it that
 * are never written again: an IV cannot change under a caller, and no byte
 * of the pool is handed out twice. IVs are stored in the clear beside each
 * ciphertext anyway, so the pool holds nothing secret. Each process (and
 * each worker thread) has its own pools and draws its own randomness: Node
 * starts processes with exec, never a bare fork that would copy a pool.
 */
export class RandomIvs {
  private pool = Buffer.alloc(0);
  private nextOffset = 0;

  /** A fresh IV, never handed out before. */
  next(): Buffer {
    if (this.nextOffset === this.pool.length) {
      this.pool = randomFillSync(Buffer.allocUnsafeSlow(ivsPerDraw * ivBytes));
      this.nextOffset = 0;
    }
    const iv = this.pool.subarray(this.nextOffset, this.nextOffset + ivBytes);
    this.nextOffset += ivBytes;
    return iv;
  }
}
