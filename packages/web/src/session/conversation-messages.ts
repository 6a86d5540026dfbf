import type { MessageView, ParleyApi } from '@parley/client';

/** Messages fetched per history page when scrolling back (the server caps a page at 200). */
export const historyPageSize = 100;

/**
 * The messages of one conversation known here, by seq: a window of its
 * history, filled from the cache, the stream and history pages as the user
 * scrolls, never the whole history at once.
 */
export class ConversationMessages {
  private readonly bySeq = new Map<number, MessageView>();
  /** Seqs the server does not show this user (e.g. from a blocked user): rendered as nothing. */
  private readonly absent = new Set<number>();
  private readonly pagesInFlight = new Set<number>();
  private highest = 0;
  /** The cached messages were read (or there were none): only then is a missing seq worth a request. */
  cacheRead = false;

  get highestSeq(): number {
    return this.highest;
  }

  get(seq: number): MessageView | undefined {
    return this.bySeq.get(seq);
  }

  isAbsent(seq: number): boolean {
    return this.absent.has(seq);
  }

  known(seq: number): boolean {
    return this.bySeq.has(seq) || this.absent.has(seq);
  }

  add(messages: Iterable<MessageView>): void {
    for (const message of messages) {
      this.bySeq.set(message.seq, message);
      this.absent.delete(message.seq);
      this.highest = Math.max(this.highest, message.seq);
    }
  }

  /**
   * Fetches the page of up to `historyPageSize` messages ending at `seq`,
   * unless one is in flight already. Resolves with what was added.
   */
  async loadPageEndingAt(api: ParleyApi, conversation: string, seq: number): Promise<MessageView[]> {
    const pageEnd = Math.ceil(seq / historyPageSize) * historyPageSize;
    if (this.pagesInFlight.has(pageEnd)) return [];
    this.pagesInFlight.add(pageEnd);
    try {
      const { messages } = await api.history(conversation, { before: pageEnd + 1, limit: historyPageSize });
      this.add(messages);
      const pageStart = Math.max(1, pageEnd - historyPageSize + 1);
      const upTo = Math.min(pageEnd, this.highest);
      for (let missing = pageStart; missing <= upTo; missing += 1) if (!this.bySeq.has(missing)) this.absent.add(missing);
      return messages;
    } finally {
      this.pagesInFlight.delete(pageEnd);
    }
  }
}
