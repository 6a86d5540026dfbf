/**
 * The one place stream entries become wire frames. A frame is serialised once
 * per message and shared by every recipient: only the per-user `pos` differs,
 * so it is spliced into a prebuilt prefix instead of serialising again.
 */
import type { ConversationEvent, ReceiptEvent } from '@parley/protocol';
import type { WireEntry } from '../bus/bus.js';
import type { Message, StreamEntry } from './model.js';

/** A message frame without its pos: `prefix + pos + suffix` is the whole frame. */
export interface SharedFrame {
  prefix: string;
  suffix: string;
  sender: string;
}

/**
 * For replays only: message objects are immutable, and a replay hands the same
 * one (see RecentMessages) to every member's device. A send builds its frame
 * once for all its deliveries and keeps nothing, since an entry here lives as
 * long as its message, which the store's log holds past two scavenges.
 */
const framesOfReplayedMessages = new WeakMap<Message, SharedFrame>();

function replayedMessageFrame(message: Message): SharedFrame {
  let shared = framesOfReplayedMessages.get(message);
  if (shared === undefined) {
    shared = messageFrame(message);
    framesOfReplayedMessages.set(message, shared);
  }
  return shared;
}

export function messageFrame(message: Message): SharedFrame {
  return {
    prefix: '{"type":"message","pos":',
    suffix:
      `,"conversation":${JSON.stringify(message.conversationId)},"seq":${message.seq}` +
      `,"id":${JSON.stringify(message.id)},"sender":${JSON.stringify(message.senderId)}` +
      `,"device":${JSON.stringify(message.deviceId)},"at":${message.at},"body":${message.bodyJson}` +
      `${message.unreadable === true ? ',"unreadable":true' : ''}}`,
    sender: message.senderId,
  };
}

export function frameAt(shared: SharedFrame, pos: number): WireEntry {
  return { pos, frame: shared.prefix + pos + shared.suffix, sender: shared.sender };
}

export function streamEntryFrame(entry: StreamEntry): WireEntry {
  switch (entry.kind) {
    case 'message':
      return frameAt(replayedMessageFrame(entry.message), entry.pos);
    case 'receipt': {
      const event: ReceiptEvent = {
        type: 'receipt',
        pos: entry.pos,
        conversation: entry.conversationId,
        ...(entry.userId === null ? {} : { user: entry.userId }),
        status: entry.status,
        seq: entry.seq,
        ...(entry.userId === null ? { all: true as const } : {}),
      };
      return { pos: entry.pos, frame: JSON.stringify(event) };
    }
    case 'conversation': {
      const event: ConversationEvent = {
        type: 'conversation',
        pos: entry.pos,
        conversation: entry.conversationId,
        change: entry.change,
        kind: entry.conversationKind,
        members: entry.members,
        ...(entry.name === '' ? {} : { name: entry.name }),
        by: entry.by,
      };
      return { pos: entry.pos, frame: JSON.stringify(event) };
    }
  }
}
