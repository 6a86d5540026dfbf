import type { MessageBody } from '@parley/protocol';
import type { Caller, ChatContext } from './chat-context.js';
import type { Message } from './model.js';
import { ParleyError } from './parley-error.js';
import { frameAt, messageFrame } from './stream-frames.js';
import type { MessageStore } from './store-port.js';

export interface OutgoingMessage {
  id: string;
  conversationId: string;
  body: MessageBody;
}

/**
 * Appends a message and wakes every member's sessions. Resolves only once the
 * message is durable, so the caller may answer `sent`. A retry of the same id
 * resolves with the message first stored.
 */
export async function sendMessage(context: ChatContext<MessageStore>, caller: Caller, outgoing: OutgoingMessage): Promise<Message> {
  const { limits } = context;
  if (outgoing.body.text.trim() === '') {
    throw new ParleyError('bad_request', 'text is empty: a message needs at least one character that is not white space');
  }
  if (outgoing.body.text.length > limits.maxTextLength) {
    throw new ParleyError('too_large', `text is longer than ${limits.maxTextLength} characters`);
  }
  const bodyJson = JSON.stringify(outgoing.body);
  if (Buffer.byteLength(bodyJson, 'utf8') > limits.maxBodyBytes) {
    throw new ParleyError('too_large', `body is larger than ${limits.maxBodyBytes} bytes`);
  }
  const result = await context.store.append({
    conversationId: outgoing.conversationId,
    id: outgoing.id,
    senderId: caller.userId,
    deviceId: caller.deviceId,
    at: context.clock.now(),
    bodyJson,
  });
  if (!result.duplicate) {
    const shared = messageFrame(result.message);
    for (const delivery of result.deliveries) {
      context.bus.publish(delivery.userId, { kind: 'stream', entries: [frameAt(shared, delivery.pos)] });
    }
  }
  return result.message;
}
