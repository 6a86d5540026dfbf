import type { StreamEvent } from '@parley/protocol';

/**
 * Decides which stream events are new: the client's half of "none shown
 * twice". An event at or below the processed pos is a replay (the server
 * resends everything past the device's acked pos, and an ack may have been
 * lost). A message at or below the highest seq surfaced in its conversation
 * was already shown, even if it comes back under another pos.
 */
export class StreamCursor {
  private processedPos: number;
  private readonly maxSeqs: Map<string, number>;

  constructor(pos: number, maxSeqByConversation: Record<string, number>) {
    this.processedPos = pos;
    this.maxSeqs = new Map(Object.entries(maxSeqByConversation));
  }

  get pos(): number {
    return this.processedPos;
  }

  maxSeq(conversation: string): number {
    return this.maxSeqs.get(conversation) ?? 0;
  }

  /** Advances past `event` and says whether to surface it to the app. */
  advance(event: StreamEvent): boolean {
    if (event.pos <= this.processedPos) return false;
    this.processedPos = event.pos;
    if (event.type !== 'message') return true;
    if (event.seq <= this.maxSeq(event.conversation)) return false;
    this.maxSeqs.set(event.conversation, event.seq);
    return true;
  }

  /** Forgets everything: the stored cursor belongs to another stream. */
  reset(): void {
    this.processedPos = 0;
    this.maxSeqs.clear();
  }

  maxSeqByConversation(): Record<string, number> {
    return Object.fromEntries(this.maxSeqs);
  }
}
