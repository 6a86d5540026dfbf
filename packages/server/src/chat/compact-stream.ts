import type { ChatContext } from './chat-context.js';
import type { StreamStore } from './store-port.js';

/**
 * Deletes the user's events that every device active within the retention
 * window has acked. A device away longer resyncs from history (`startStream`).
 */
export async function compactStream(context: ChatContext<StreamStore>, userId: string, retentionMs: number): Promise<void> {
  await context.store.compactStream(userId, context.clock.now() - retentionMs);
}
