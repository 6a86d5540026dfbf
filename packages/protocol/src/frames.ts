import { z } from 'zod';
import { counterSchema, messageIdSchema, serverIdSchema } from './ids.js';
import type { ErrorCode } from './errors.js';
import { PROTOCOL_VERSION } from './limits.js';

/**
 * A message body: `text` plus any extra fields, which the server stores as given.
 * Length and byte limits are the server's configuration, checked by the server.
 */
export const messageBodySchema = z.looseObject({ text: z.string() });
export type MessageBody = z.infer<typeof messageBodySchema>;

// ---- client → server (protocol §2, §3) ----

export const helloFrameSchema = z.object({
  type: z.literal('hello'),
  token: z.string().min(1).max(512),
  protocol: z.literal(PROTOCOL_VERSION),
});

export const sendFrameSchema = z.object({
  type: z.literal('send'),
  id: messageIdSchema,
  conversation: serverIdSchema,
  body: messageBodySchema,
});

export const ackFrameSchema = z.object({ type: z.literal('ack'), pos: counterSchema });

export const readFrameSchema = z.object({
  type: z.literal('read'),
  conversation: serverIdSchema,
  seq: counterSchema,
});

export const typingFrameSchema = z.object({
  type: z.literal('typing'),
  conversation: serverIdSchema,
  active: z.boolean(),
});

export const pingFrameSchema = z.object({ type: z.literal('ping') });

export const clientFrameSchema = z.discriminatedUnion('type', [
  helloFrameSchema,
  sendFrameSchema,
  ackFrameSchema,
  readFrameSchema,
  typingFrameSchema,
  pingFrameSchema,
]);

export type HelloFrame = z.infer<typeof helloFrameSchema>;
export type SendFrame = z.infer<typeof sendFrameSchema>;
export type AckFrame = z.infer<typeof ackFrameSchema>;
export type ReadFrame = z.infer<typeof readFrameSchema>;
export type TypingFrame = z.infer<typeof typingFrameSchema>;
export type PingFrame = z.infer<typeof pingFrameSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;
/** What a client writes: ids before the schema's lower-casing. */
export type ClientFrameInput = z.input<typeof clientFrameSchema>;

// ---- server → client (protocol §2, §4) ----

export interface WelcomeFrame {
  type: 'welcome';
  user: string;
  device: string;
  /** The newest pos of the user's stream. */
  pos: number;
  serverTime: number;
  /**
   * Extension: true when the device was away longer than the server keeps
   * events. It starts at `pos` with nothing replayed and must refetch its
   * conversations and their history over HTTP.
   */
  resync?: boolean;
}

export interface SyncedFrame {
  type: 'synced';
  /** Every event up to this pos has been sent on this connection. */
  pos: number;
}

export interface SentFrame {
  type: 'sent';
  id: string;
  conversation: string;
  seq: number;
  at: number;
}

export interface ErrorFrame {
  type: 'error';
  /** The id of the frame it answers: a message id for `send`, else the frame type. */
  ref?: string;
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}

export interface PongFrame {
  type: 'pong';
}

export interface MessageEvent {
  type: 'message';
  pos: number;
  conversation: string;
  seq: number;
  id: string;
  sender: string;
  device: string;
  at: number;
  body: MessageBody;
  /** Extension: the stored message cannot be read; `body` is the placeholder `{"text":""}` (see MessageView). */
  unreadable?: true;
}

export type ReceiptStatus = 'delivered' | 'read';

export interface ReceiptEvent {
  type: 'receipt';
  pos: number;
  conversation: string;
  user: string;
  status: ReceiptStatus;
  seq: number;
}

export const conversationChanges = [
  'created',
  'member_added',
  'member_removed',
  'member_left',
  'admin_granted',
  'admin_revoked',
  'renamed',
] as const;
export type ConversationChange = (typeof conversationChanges)[number];

export interface ConversationEvent {
  type: 'conversation';
  pos: number;
  conversation: string;
  change: ConversationChange;
  /** The members the change is about (all members for `created`). */
  members?: string[];
  /** The new name, for `created` of a group and `renamed`. */
  name?: string;
  /** `direct` or `group`, on `created`. */
  kind?: ConversationKind;
  by: string;
}

export interface TypingEvent {
  type: 'typing';
  conversation: string;
  user: string;
  active: boolean;
}

export interface PresenceEvent {
  type: 'presence';
  user: string;
  online: boolean;
  lastSeen?: number;
}

export type ConversationKind = 'direct' | 'group';

/** Events that carry a pos in the user's stream and are replayed until acked. */
export type StreamEvent = MessageEvent | ReceiptEvent | ConversationEvent;

export type ServerFrame =
  | WelcomeFrame
  | SyncedFrame
  | SentFrame
  | ErrorFrame
  | PongFrame
  | StreamEvent
  | TypingEvent
  | PresenceEvent;
