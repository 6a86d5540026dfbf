import { LRUCache } from 'lru-cache';
import type { Message } from '../../chat/model.js';

/**
 * Messages recently read back from the store, opened. A replay reads each
 * message once per device of every member (in a reconnect storm, one group
 * message is read hundreds of times), and opening a sealed body is most of
 * what reading an event costs. A committed message never changes (a
 * re-encryption changes its sealing, not its content), so an entry is never
 * stale. But a read inside a write (a read that moves the logs first) may
 * see a message appended earlier in the same batch: when that batch is lost,
 * its seq goes to another message, so the store clears this cache on every
 * rollback.
 */
export class RecentMessages {
  private readonly cache: LRUCache<string, Message>;

  constructor(max: number) {
    this.cache = new LRUCache({ max });
  }

  get(conversationId: string, seq: number): Message | undefined {
    return this.cache.get(keyOf(conversationId, seq));
  }

  remember(message: Message): void {
    this.cache.set(keyOf(message.conversationId, message.seq), message);
  }

  clear(): void {
    this.cache.clear();
  }
}

function keyOf(conversationId: string, seq: number): string {
  return `${conversationId}#${seq}`;
}
