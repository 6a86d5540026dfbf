import { z } from 'zod';
import { errorCodes } from './errors.js';
import { messageBodySchema } from './frames.js';
import { counterSchema } from './ids.js';

// ---- server → client (protocol §2, §4, §5, E1) ----
//
// Ids the server makes are opaque strings to a client (protocol, words), so
// they are plain strings here: the shapes the server checks on input
// (`serverIdSchema`, `messageIdSchema`) are its own business.

/** A time: integer milliseconds since the Unix epoch, server clock. */
const timeSchema = z.number().int().nonnegative();

export const welcomeFrameSchema = z.object({
  type: z.literal('welcome'),
  user: z.string(),
  device: z.string(),
  /** The newest pos of the user's stream. */
  pos: counterSchema,
  serverTime: timeSchema,
  /**
   * Extension: true when the device was away longer than the server keeps
   * events. It starts at `pos` with nothing replayed and must refetch its
   * conversations and their history over HTTP.
   */
  resync: z.boolean().optional(),
});

export const syncedFrameSchema = z.object({
  type: z.literal('synced'),
  /** Every event up to this pos has been sent on this connection. */
  pos: counterSchema,
});

export const sentFrameSchema = z.object({
  type: z.literal('sent'),
  id: z.string(),
  conversation: z.string(),
  seq: counterSchema,
  at: timeSchema,
});

/** The closed set of codes; adding one to `errorCodes` adds it here. */
const errorCodeSchema = z.enum(errorCodes);

export const errorFrameSchema = z.object({
  type: z.literal('error'),
  /** The id of the frame it answers: a message id for `send`, else absent. */
  ref: z.string().optional(),
  // A code from a newer server is still an error: a client reads it as `internal`.
  code: errorCodeSchema.catch('internal'),
  message: z.string(),
  retryAfterMs: z.number().nonnegative().optional(),
});

export const pongFrameSchema = z.object({ type: z.literal('pong') });

export const messageEventSchema = z.object({
  type: z.literal('message'),
  pos: counterSchema,
  conversation: z.string(),
  seq: counterSchema,
  id: z.string(),
  sender: z.string(),
  device: z.string(),
  at: timeSchema,
  body: messageBodySchema,
  /** Extension: the stored message cannot be read; `body` is the placeholder `{"text":""}` (protocol E1a). */
  unreadable: z.literal(true).optional(),
});

export const receiptStatuses = ['delivered', 'read'] as const;
export type ReceiptStatus = (typeof receiptStatuses)[number];

/**
 * A receipt names one member (`user`: a direct conversation, or the reader's
 * own read-state sync), or, in a group, speaks for every current member but
 * the stream's owner (`all: true`, no `user`): "everyone else has delivered
 * (read) every message of yours up to `seq`" (protocol E2).
 */
const receiptFields = {
  type: z.literal('receipt'),
  pos: counterSchema,
  conversation: z.string(),
  user: z.string().optional(),
  status: z.enum(receiptStatuses),
  seq: counterSchema,
  all: z.literal(true).optional(),
};

const namesOneOrAll = (receipt: { user?: string | undefined; all?: true | undefined }) => (receipt.user === undefined) === (receipt.all === true);
const oneOrAllMessage = 'a receipt names a user, or says all: true without one';

export const receiptEventSchema = z.object(receiptFields).refine(namesOneOrAll, oneOrAllMessage);

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

export const conversationKinds = ['direct', 'group'] as const;
export type ConversationKind = (typeof conversationKinds)[number];

export const conversationEventSchema = z.object({
  type: z.literal('conversation'),
  pos: counterSchema,
  conversation: z.string(),
  change: z.enum(conversationChanges),
  /** The members the change is about (all members for `created`). */
  members: z.array(z.string()).optional(),
  /** The new name, for `created` of a group and `renamed`. */
  name: z.string().optional(),
  /** `direct` or `group`, on `created`. */
  kind: z.enum(conversationKinds).optional(),
  by: z.string(),
});

export const typingEventSchema = z.object({
  type: z.literal('typing'),
  conversation: z.string(),
  user: z.string(),
  active: z.boolean(),
});

export const presenceEventSchema = z.object({
  type: z.literal('presence'),
  user: z.string(),
  online: z.boolean(),
  lastSeen: timeSchema.optional(),
});

/**
 * Extension (E1): a member's delivered or read seq moved in a group
 * conversation the connection watches (`watch_receipts`), sent to the
 * senders of the messages it newly covers. Ephemeral: no pos, never replayed.
 */
export const receiptDetailFrameSchema = z.object({
  type: z.literal('receipt_detail'),
  conversation: z.string(),
  user: z.string(),
  status: z.enum(receiptStatuses),
  seq: counterSchema,
});

/**
 * Every frame a server sends. Parsing drops fields this version does not
 * know (a newer server may add some: additions never change meaning), and
 * reads an unknown error code as `internal`.
 */
export const serverFrameSchema = z.discriminatedUnion('type', [
  welcomeFrameSchema,
  syncedFrameSchema,
  sentFrameSchema,
  errorFrameSchema,
  pongFrameSchema,
  messageEventSchema,
  receiptEventSchema,
  conversationEventSchema,
  typingEventSchema,
  presenceEventSchema,
  receiptDetailFrameSchema,
]);

/**
 * What a server of this version may send, exactly: no field the contract does
 * not name and no error code outside `errorCodes`. The server's tests hold
 * every frame they receive to it, so the server cannot drift from the contract
 * unnoticed. A message `body` keeps its extra fields, which are the sender's.
 */
export const exactServerFrameSchema = z.discriminatedUnion('type', [
  welcomeFrameSchema.strict(),
  syncedFrameSchema.strict(),
  sentFrameSchema.strict(),
  errorFrameSchema.extend({ code: errorCodeSchema }).strict(),
  pongFrameSchema.strict(),
  messageEventSchema.strict(),
  z.strictObject(receiptFields).refine(namesOneOrAll, oneOrAllMessage),
  conversationEventSchema.strict(),
  typingEventSchema.strict(),
  presenceEventSchema.strict(),
  receiptDetailFrameSchema.strict(),
]);

export type WelcomeFrame = z.infer<typeof welcomeFrameSchema>;
export type SyncedFrame = z.infer<typeof syncedFrameSchema>;
export type SentFrame = z.infer<typeof sentFrameSchema>;
export type ErrorFrame = z.infer<typeof errorFrameSchema>;
export type PongFrame = z.infer<typeof pongFrameSchema>;
export type MessageEvent = z.infer<typeof messageEventSchema>;
export type ReceiptEvent = z.infer<typeof receiptEventSchema>;
export type ConversationEvent = z.infer<typeof conversationEventSchema>;
export type TypingEvent = z.infer<typeof typingEventSchema>;
export type PresenceEvent = z.infer<typeof presenceEventSchema>;
export type ReceiptDetailFrame = z.infer<typeof receiptDetailFrameSchema>;
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/** Events that carry a pos in the user's stream and are replayed until acked. */
export type StreamEvent = MessageEvent | ReceiptEvent | ConversationEvent;
