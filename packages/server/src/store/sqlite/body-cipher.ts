import type { KeyRing } from '../../keys/key-ring.js';

/** Key id 0: the body is stored as plain UTF-8 (a store opened without a master key). */
const plainKeyId = 0;

export interface SealedBody {
  body: Buffer;
  key_id: number;
}

/**
 * Message bodies at rest. With a key ring, each body is sealed with the
 * active data key and bound to its row (conversation and seq): a body copied
 * into another row fails to open instead of showing the wrong text.
 */
export class BodyCipher {
  constructor(private readonly ring: KeyRing | undefined) {}

  seal(bodyJson: string, conversationId: string, seq: number): SealedBody {
    const plaintext = Buffer.from(bodyJson, 'utf8');
    if (this.ring === undefined) return { body: plaintext, key_id: plainKeyId };
    return { body: this.ring.seal(plaintext, rowBinding(conversationId, seq)), key_id: this.ring.activeKeyId };
  }

  open(row: SealedBody & { conversation_id: string; seq: number }): string {
    if (row.key_id === plainKeyId) return row.body.toString('utf8');
    if (this.ring === undefined) throw new Error('an encrypted message body needs the master key');
    try {
      return this.ring.open(row.body, rowBinding(row.conversation_id, row.seq)).toString('utf8');
    } catch (error) {
      throw new Error(`message ${row.conversation_id}#${row.seq} failed to decrypt: tampered or moved`, { cause: error });
    }
  }

  /** True when the row is sealed with another key than the one new writes use. */
  isStale(keyId: number): boolean {
    return this.ring !== undefined && keyId !== this.ring.activeKeyId;
  }
}

const rowBinding = (conversationId: string, seq: number) => `message ${conversationId} ${seq}`;
