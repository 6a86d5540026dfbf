import type { Message, MessageDraft } from './model.js';
import { ParleyError } from './parley-error.js';

/**
 * A draft whose `(sender, id)` is already stored is a retry: it answers with
 * the stored message when it is the same message (same conversation and
 * body), and is `conflict` otherwise: a client id names one message, ever.
 * A stored message that can no longer be read is taken as the same: its
 * retry must not fail forever.
 */
export function retriedMessage(stored: Message, draft: MessageDraft): Message {
  if (stored.unreadable === true) return stored;
  if (stored.conversationId !== draft.conversationId || stored.bodyJson !== draft.bodyJson) {
    throw new ParleyError('conflict', `message ${draft.id} was already sent with other content`);
  }
  return stored;
}
