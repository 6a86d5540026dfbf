import type { ConversationSummaryView, MessageView } from '@parley/client';

/** A conversation as the chat list shows it: the server's summary and the newest message known here. */
export interface ChatSummary extends ConversationSummaryView {
  preview?: { text: string; sender: string; at: number };
}

/**
 * The conversation list: summaries from `GET /v1/conversations`, kept current
 * by stream events between fetches, in order of last activity.
 */
export class ConversationList {
  private readonly byId = new Map<string, ChatSummary>();
  private sorted: ChatSummary[] = [];

  get all(): readonly ChatSummary[] {
    return this.sorted;
  }

  get(id: string): ChatSummary | undefined {
    return this.byId.get(id);
  }

  /** Replaces the list with the server's, keeping the previews known here. */
  replace(summaries: ConversationSummaryView[]): void {
    const previous = new Map(this.byId);
    this.byId.clear();
    for (const summary of summaries) {
      const known = previous.get(summary.id);
      const preview = known?.preview !== undefined && known.preview.at >= (summary.lastMessageAt ?? 0) ? known.preview : undefined;
      this.byId.set(summary.id, { ...summary, ...(preview === undefined ? {} : { preview }) });
    }
    this.sort();
  }

  /** A cached list from an earlier visit, shown until the server's arrives. */
  restore(cached: ChatSummary[]): void {
    for (const summary of cached) this.byId.set(summary.id, summary);
    this.sort();
  }

  /**
   * A message arrived: it becomes the preview when newest, and counts as
   * unread unless it is the user's own or the conversation is being read.
   * Returns false for a conversation not in the list (the caller refetches it).
   */
  message(message: MessageView, me: string, beingRead: boolean): boolean {
    const summary = this.byId.get(message.conversation);
    if (summary === undefined) return false;
    if (message.seq > summary.lastSeq || summary.preview === undefined || message.at >= summary.preview.at) {
      summary.preview = { text: message.body.text, sender: message.sender, at: message.at };
    }
    if (message.seq > summary.lastSeq) {
      summary.lastSeq = message.seq;
      summary.lastMessageAt = Math.max(summary.lastMessageAt ?? 0, message.at);
      if (message.sender === me || beingRead) summary.readSeq = Math.max(summary.readSeq, message.seq);
      else summary.unread += 1;
    }
    this.sort();
    return true;
  }

  /** The user read up to `seq` here, on this device or another. */
  read(id: string, seq: number): void {
    const summary = this.byId.get(id);
    if (summary === undefined || seq <= summary.readSeq) return;
    summary.readSeq = seq;
    if (seq >= summary.lastSeq) summary.unread = 0;
    this.sorted = [...this.sorted];
  }

  private sort(): void {
    const activity = (summary: ChatSummary) => Math.max(summary.lastMessageAt ?? 0, summary.preview?.at ?? 0);
    this.sorted = [...this.byId.values()].sort((a, b) => activity(b) - activity(a) || a.name.localeCompare(b.name));
  }
}
