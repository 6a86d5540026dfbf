import { z } from 'zod';
import type { UserNotice } from './bus.js';

/**
 * What nodes say to each other over NATS, as JSON. Another node (or anything
 * else that can publish under the prefix) is outside this process: every
 * message is checked here, and one that does not parse is dropped.
 */

const wireEntry = z.object({ pos: z.number().int().min(1), frame: z.string(), sender: z.string().optional() });

/** Typed as the port's notice, so a new kind of notice must be added here too. */
const userNotice: z.ZodType<UserNotice> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stream'), entries: z.array(wireEntry) }),
  z.object({ kind: z.literal('device_revoked'), deviceId: z.string() }),
  z.object({ kind: z.literal('ephemeral'), frame: z.string(), receiptsOf: z.string().optional() }),
]);

/** A user's notice, with the node that published it: a node skips its own, which it delivered in-process. */
const noticeEnvelope = z.object({ node: z.string(), notice: userNotice });
export type NoticeEnvelope = z.infer<typeof noticeEnvelope>;

/** Each node's sign of life, once a second; `leaving` when it closes, so others stop waiting for it at once. */
const heartbeat = z.object({ node: z.string(), leaving: z.boolean().optional() });
export type Heartbeat = z.infer<typeof heartbeat>;

/** "Which devices of this user do you hold?" `query` tells the asker's pending questions apart. */
const onlineQuery = z.object({ node: z.string(), query: z.number().int() });
export type OnlineQuery = z.infer<typeof onlineQuery>;

const onlineAnswer = z.object({ node: z.string(), query: z.number().int(), devices: z.array(z.string()) });
export type OnlineAnswer = z.infer<typeof onlineAnswer>;

function parserOf<T>(schema: z.ZodType<T>): (text: string) => T | undefined {
  return (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    const result = schema.safeParse(value);
    return result.success ? result.data : undefined;
  };
}

export const parseNoticeEnvelope = parserOf(noticeEnvelope);
export const parseHeartbeat = parserOf(heartbeat);
export const parseOnlineQuery = parserOf(onlineQuery);
export const parseOnlineAnswer = parserOf(onlineAnswer);
