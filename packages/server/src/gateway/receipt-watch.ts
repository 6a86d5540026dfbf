/**
 * The one conversation whose per-member receipts a connection asked to see
 * live (`watch_receipts`): none at first, one at a time, none once closed
 * (the session goes with it). A request waits for its membership check; a
 * later request wins over an earlier one still being checked, so a quick
 * "watch A, stop" never ends up watching A.
 */
export class ReceiptWatch {
  private watched: string | null = null;
  private requests = 0;

  /** Starts watching once `allowed` resolves (it rejects to refuse), or stops at once for `null`. */
  async request(conversationId: string | null, allowed: (conversationId: string) => Promise<void>): Promise<void> {
    const request = ++this.requests;
    if (conversationId === null) {
      this.watched = null;
      return;
    }
    try {
      await allowed(conversationId);
    } catch (error) {
      if (request === this.requests) this.watched = null;
      throw error;
    }
    if (request === this.requests) this.watched = conversationId;
  }

  isWatching(conversationId: string): boolean {
    return this.watched === conversationId;
  }
}
