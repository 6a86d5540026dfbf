import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyRing, newWrappedDataKey } from './key-ring.js';
import { RowCipher } from './row-cipher.js';

/** Where a box keeps its IV: after the version byte and the 4-byte key id (sealed-box.ts). */
const ivOf = (box: Buffer) => box.subarray(5, 17).toString('hex');

describe('KeyRing', () => {
  it('never repeats an IV over 100,000 seals, across some 300 refills of its IV pool, and opens each value', () => {
    const masterKey = randomBytes(32);
    const ring = new KeyRing(masterKey, [newWrappedDataKey(masterKey, 1)], 1);
    const seals = 100_000;
    const ivs = new Set<string>();
    for (let index = 0; index < seals; index++) {
      const binding = `message c_1#${index}`;
      const box = ring.seal(Buffer.from(`body ${index}`), binding);
      ivs.add(ivOf(box));
      expect(ring.open(box, binding).toString()).toBe(`body ${index}`);
    }
    expect(ivs.size).toBe(seals);
  });

  it('opens a message body and its wrapped data key as sealed by the code before the IV pool: the stored layout is unchanged', () => {
    // Made with the per-seal randomBytes IV and raw-Buffer keys of commit 4248122, then copied here.
    const masterKey = Buffer.from('a parley master key of 32 bytes!');
    const wrapped = Buffer.from('AQAAAAB0Rvdx3GCCbvg6uo+3EYhuouBcoVeeyDTwm7NjuaLyXMHRfAOfCDMyFxvxZDTEtloBVVotaG3LoOi+THQ=', 'base64');
    const body = Buffer.from('AQAAAAFculA9cwVTiaCJQW//fHChb+LM1czg4UdzE8XnwUaRuyIFFMdrDzCbs0h9Ahr+hQpO/SOsuXDSwLvmrIA5qE9J', 'base64');
    const cipher = new RowCipher(new KeyRing(masterKey, [{ id: 1, wrapped }], 1));
    expect(cipher.openBody({ body, key_id: 1, conversation_id: 'c_1', seq: 7 })).toBe('{"text":"sealed before the IV pool"}');
    expect(() => cipher.openBody({ body, key_id: 1, conversation_id: 'c_1', seq: 8 })).toThrow(/failed to decrypt/);
  });
});
