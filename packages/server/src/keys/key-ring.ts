import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { ivBytes, RandomIvs } from './random-ivs.js';
import { keyIdOf, open, seal } from './sealed-box.js';

/** A data key as stored: wrapped (sealed) under the master key. */
export interface WrappedDataKey {
  id: number;
  wrapped: Buffer;
}

const dataKeyBytes = 32;
const wrapContext = (id: number) => `parley data key ${id}`;

/** Makes a new data key, wrapped under the master key, for the store to keep. */
export function newWrappedDataKey(masterKey: Buffer, id: number): WrappedDataKey {
  // A one-off under the master key: its own random IV, no pool.
  return { id, wrapped: seal(createSecretKey(masterKey), 0, randomBytes(ivBytes), randomBytes(dataKeyBytes), wrapContext(id)) };
}

/**
 * Envelope encryption: payloads are sealed with data keys, data keys are
 * wrapped by the master key. Rotation adds a data key for new writes; old
 * rows stay readable with the key whose id their box carries. Each key is
 * set up once as a KeyObject when it is unwrapped, not imported per seal.
 */
export class KeyRing {
  private readonly masterKey: KeyObject;
  private readonly keys = new Map<number, KeyObject>();
  private readonly ivs = new RandomIvs();

  /** Unwraps every data key; a wrong master key fails here, before anything is served. */
  constructor(
    masterKey: Buffer,
    wrappedKeys: WrappedDataKey[],
    private activeId: number,
  ) {
    this.masterKey = createSecretKey(masterKey);
    for (const key of wrappedKeys) this.add(key);
    if (!this.keys.has(activeId)) throw new Error(`the active data key ${activeId} is missing`);
  }

  get activeKeyId(): number {
    return this.activeId;
  }

  /** Learns a data key made by another process (`parley keys rotate`) and, if asked, writes with it from now on. */
  add(key: WrappedDataKey, makeActive = false): void {
    let unwrapped: Buffer;
    try {
      unwrapped = open(this.masterKey, key.wrapped, wrapContext(key.id));
    } catch {
      throw new Error('the master key does not unlock this database\'s data keys (wrong key file?): refusing to start');
    }
    this.keys.set(key.id, createSecretKey(unwrapped));
    if (makeActive) this.activeId = key.id;
  }

  seal(plaintext: Buffer, associatedData: string): Buffer {
    return seal(this.keys.get(this.activeId) as KeyObject, this.activeId, this.ivs.next(), plaintext, associatedData);
  }

  open(box: Buffer, associatedData: string): Buffer {
    const key = this.keys.get(keyIdOf(box));
    if (key === undefined) throw new Error(`data key ${keyIdOf(box)} is unknown`);
    return open(key, box, associatedData);
  }
}
