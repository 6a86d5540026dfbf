import type { Logger } from 'pino';
import type { Caller, ChatContext } from '../chat/chat-context.js';
import { goOnline } from '../chat/go-online.js';
import type { Presence } from '../chat/presence.js';
import type { NoticeReceiver, SessionRegistry } from './session-registry.js';

export interface ConnectDeviceParts {
  chat: ChatContext;
  registry: SessionRegistry;
  presence: Presence;
  logger: Logger;
}

/**
 * Makes an authenticated connection's device known: its user's notices are
 * routed to `receiver`, presence counts it, the bus marks it online (push
 * skips it). Returns what undoes all three when the connection closes.
 */
export function connectDevice(caller: Caller, receiver: NoticeReceiver, parts: ConnectDeviceParts): () => void {
  const { userId } = caller;
  // Subscribed before the stream's pos is read: no notice can fall between the two.
  parts.registry.add(userId, receiver);
  parts.presence.connected(userId, caller.deviceId);
  const online = goOnline(parts.chat, caller);
  online.pushJobsCancelled.catch((error: unknown) => parts.logger.error({ err: error }, 'cancelling push jobs failed'));
  return () => {
    // Off the bus first: presence asks the bus whether another device is still online.
    online.goOffline();
    parts.registry.remove(userId, receiver);
    parts.presence.disconnected(userId);
  };
}
