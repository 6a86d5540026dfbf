import type { KeyRing } from '../../keys/key-ring.js';

/** Key id 0: the value is stored as plain UTF-8 (a store opened without a master key). */
const plainKeyId = 0;

export interface SealedBody {
  body: Buffer;
  key_id: number;
}

/**
 * Personal payloads at rest: message bodies and push targets. With a key
 * ring, each value is sealed with the active data key and bound to its row (a
 * message's conversation and seq, a registration's device): a value copied
 * into another row fails to open instead of showing the wrong content.
 */
export class RowCipher {
  constructor(
    private readonly ring: KeyRing | undefined,
    /** Told of each message body that fails to open; the message is then read as a placeholder. */
    private readonly onUnreadableBody: (conversationId: string, seq: number, error: unknown) => void = () => undefined,
  ) {}

  seal(text: string, binding: string): { value: Buffer; keyId: number } {
    const plaintext = Buffer.from(text, 'utf8');
    if (this.ring === undefined) return { value: plaintext, keyId: plainKeyId };
    return { value: this.ring.seal(plaintext, binding), keyId: this.ring.activeKeyId };
  }

  open(value: Buffer, keyId: number, binding: string): string {
    if (keyId === plainKeyId) return value.toString('utf8');
    if (this.ring === undefined) throw new Error('an encrypted value needs the master key');
    try {
      return this.ring.open(value, binding).toString('utf8');
    } catch (error) {
      throw new Error(`${binding} failed to decrypt: tampered or moved`, { cause: error });
    }
  }

  sealBody(bodyJson: string, conversationId: string, seq: number): SealedBody {
    const { value, keyId } = this.seal(bodyJson, bodyBinding(conversationId, seq));
    return { body: value, key_id: keyId };
  }

  openBody(row: SealedBody & { conversation_id: string; seq: number }): string {
    return this.open(row.body, row.key_id, bodyBinding(row.conversation_id, row.seq));
  }

  /**
   * A body that fails to open (a flipped bit on disk, a row moved) costs that
   * message only: it reads as the placeholder, is reported, and every other
   * message of the stream and history still flows.
   */
  openBodyOrPlaceholder(row: SealedBody & { conversation_id: string; seq: number }): { bodyJson: string; unreadable?: true } {
    try {
      return { bodyJson: this.openBody(row) };
    } catch (error) {
      this.onUnreadableBody(row.conversation_id, row.seq, error);
      return { bodyJson: unreadableBodyJson, unreadable: true };
    }
  }
}

/** What an unreadable message's body reads as: a valid body, so older clients show an empty message rather than fail. */
export const unreadableBodyJson = '{"text":""}';

const bodyBinding = (conversationId: string, seq: number) => `message ${conversationId}#${seq}`;
