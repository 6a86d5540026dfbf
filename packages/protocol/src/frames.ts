import { z } from 'zod';
import { counterSchema, messageIdSchema, serverIdSchema } from './ids.js';
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

/**
 * Extension (E1): live per-member receipts of one conversation on this
 * connection (`receipt_detail` frames) until another `watch_receipts`, one
 * with `conversation: null`, or the close.
 */
export const watchReceiptsFrameSchema = z.object({
  type: z.literal('watch_receipts'),
  conversation: serverIdSchema.nullable(),
});

export const clientFrameSchema = z.discriminatedUnion('type', [
  helloFrameSchema,
  sendFrameSchema,
  ackFrameSchema,
  readFrameSchema,
  typingFrameSchema,
  pingFrameSchema,
  watchReceiptsFrameSchema,
]);

export type HelloFrame = z.infer<typeof helloFrameSchema>;
export type SendFrame = z.infer<typeof sendFrameSchema>;
export type AckFrame = z.infer<typeof ackFrameSchema>;
export type ReadFrame = z.infer<typeof readFrameSchema>;
export type TypingFrame = z.infer<typeof typingFrameSchema>;
export type PingFrame = z.infer<typeof pingFrameSchema>;
export type WatchReceiptsFrame = z.infer<typeof watchReceiptsFrameSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;
/** What a client writes: ids before the schema's lower-casing. */
export type ClientFrameInput = z.input<typeof clientFrameSchema>;
