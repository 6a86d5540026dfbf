import type { ConversationSummaryView, MessageView } from '@parley/protocol';
import type { ParleyApi } from './api.js';

/** Most messages one backfill fetches per conversation: a backfill holds the live stream while it runs. */
export const backfillPerConversationMax = 1_000;

/** Conversations whose pages are fetched at once. */
const fetchConcurrency = 4;

/** The server caps a page at 200 messages (protocol E3); larger asks are paged. */
const pageLimitMax = 200;

export interface BackfillOptions {
  api: ParleyApi;
  /** How many of the newest messages of each conversation to fetch, 1..`backfillPerConversationMax`. */
  perConversation: number;
  /** Whether the newest `perConversation` messages of this conversation hold any the app was not shown. */
  wants(conversation: ConversationSummaryView): boolean;
  /** Takes one conversation's messages, in ascending seq; returns how many it surfaced. */
  deliver(conversation: string, messages: MessageView[]): number;
}

export interface BackfillResult {
  /** Conversations whose history was fetched. */
  conversations: number;
  /** Messages surfaced (as messages or as history). */
  messages: number;
}

/**
 * Fetches the conversation list, then the newest page of history of every
 * conversation that needs it, and hands each conversation's page over whole.
 * A page covers every seq up to the conversation's newest at fetch time;
 * whatever is committed later reaches the device through its stream.
 */
export async function backfillHistory(options: BackfillOptions): Promise<BackfillResult> {
  if (!Number.isSafeInteger(options.perConversation) || options.perConversation < 1 || options.perConversation > backfillPerConversationMax) {
    throw new RangeError(`perConversation must be an integer from 1 to ${backfillPerConversationMax}`);
  }
  const wanted = (await options.api.conversations()).filter((conversation) => conversation.lastSeq > 0 && options.wants(conversation));
  const result: BackfillResult = { conversations: 0, messages: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let conversation = wanted[next++]; conversation !== undefined; conversation = wanted[next++]) {
      const page = await newestMessages(options.api, conversation.id, options.perConversation);
      result.conversations += 1;
      result.messages += options.deliver(conversation.id, page);
    }
  };
  await Promise.all(Array.from({ length: Math.min(fetchConcurrency, wanted.length) }, worker));
  return result;
}

/** The newest `limit` messages in ascending seq, paging backwards past the server's page cap. */
async function newestMessages(api: ParleyApi, conversation: string, limit: number): Promise<MessageView[]> {
  let messages: MessageView[] = [];
  let before: number | undefined;
  while (messages.length < limit) {
    const wanted = Math.min(limit - messages.length, pageLimitMax);
    const page = await api.history(conversation, { limit: wanted, ...(before === undefined ? {} : { before }) });
    const first = page.messages[0];
    if (first === undefined) break;
    messages = [...page.messages.slice(-wanted), ...messages];
    if (first.seq <= 1) break;
    before = first.seq;
  }
  return messages;
}
