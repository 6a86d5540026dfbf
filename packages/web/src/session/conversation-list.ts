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
  /** The newest message seen per conversation, kept also for one the list does not have yet. */
  private readonly previews = new Map<string, NonNullable<ChatSummary['preview']>>();
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
      const preview = this.previews.get(summary.id) ?? previous.get(summary.id)?.preview;
      this.byId.set(summary.id, { ...summary, ...(preview === undefined ? {} : { preview }) });
    }
    this.sort();
  }

  /** A cached list from an earlier visit, shown until the server's arrives. */
  restore(cached: ChatSummary[]): void {
    for (const summary of cached) {
      this.byId.set(summary.id, summary);
      if (summary.preview !== undefined) this.previews.set(summary.id, summary.preview);
    }
    this.sort();
  }

  /**
   * A message arrived: it becomes the preview when newest, and counts as
   * unread unless it is the user's own or the conversation is being read.
   * Returns false for a conversation not in the list (the caller refetches it).
   */
  message(message: MessageView, me: string, beingRead: boolean): boolean {
    const known = this.previews.get(message.conversation);
    if (known === undefined || message.at >= known.at) {
      this.previews.set(message.conversation, { text: message.body.text, sender: message.sender, at: message.at });
    }
    const summary = this.byId.get(message.conversation);
    if (summary === undefined) return false;
    const preview = this.previews.get(message.conversation);
    if (preview !== undefined) summary.preview = preview;
    if (message.seq > summary.lastSeq) {
      summary.lastSeq = message.seq;
      summary.lastMessageAt = Math.max(summary.lastMessageAt ?? 0, message.at);
      // Read state moves only when the server is told (`read`): the caller marks a conversation being read.
      if (message.sender !== me && !beingRead) summary.unread += 1;
    }
    this.sort();
    return true;
  }

  /** Whether the user muted the conversation, on any device, as of the last list from the server or a mute here. */
  isMuted(id: string, now: number): boolean {
    const mutedUntil = this.byId.get(id)?.mutedUntil;
    return mutedUntil !== undefined && mutedUntil > now;
  }

  /** The user muted (until a time) or unmuted (`null`) the conversation on this device. */
  mute(id: string, until: number | null): void {
    const summary = this.byId.get(id);
    if (summary === undefined) return;
    if (until === null) delete summary.mutedUntil;
    else summary.mutedUntil = until;
    this.sorted = [...this.sorted];
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
