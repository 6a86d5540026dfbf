import type { ChatContext } from './chat-context.js';

/** The newest pos of the user's stream: a connection that sent less has entries to read. One cheap read, so a catch-up of many idle sessions costs little. */
export function newestPos(context: ChatContext, userId: string): Promise<number> {
  return context.store.currentPos(userId);
}
