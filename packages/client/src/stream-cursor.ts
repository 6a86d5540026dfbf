import type { StreamEvent } from '@parley/protocol';
import { SurfacedSeqs } from './surfaced-seqs.js';

/**
 * Decides which stream events are new: the client's half of "none shown
 * twice". An event at or below the processed pos is a replay (the server
 * resends everything past the device's acked pos, and an ack may have been
 * lost). A message at or below the highest seq surfaced in its conversation
 * was already shown, even if it comes back under another pos.
 */
export class StreamCursor {
  private processedPos: number;
  /** The messages shown, by (conversation, seq); history fetched over HTTP is admitted here too. */
  readonly surfaced: SurfacedSeqs;

  constructor(pos: number, maxSeqByConversation: Record<string, number>, minSeqByConversation: Record<string, number> = {}) {
    this.processedPos = pos;
    this.surfaced = new SurfacedSeqs(maxSeqByConversation, minSeqByConversation);
  }

  get pos(): number {
    return this.processedPos;
  }

  maxSeq(conversation: string): number {
    return this.surfaced.max(conversation);
  }

  /** Advances past `event` and says whether to surface it to the app. */
  advance(event: StreamEvent): boolean {
    if (event.pos <= this.processedPos) return false;
    this.processedPos = event.pos;
    if (event.type !== 'message') return true;
    return this.surfaced.admitNext(event.conversation, event.seq);
  }

  /** Forgets everything: the stored cursor belongs to another stream. */
  reset(): void {
    this.processedPos = 0;
    this.surfaced.clear();
  }

  maxSeqByConversation(): Record<string, number> {
    return this.surfaced.maxSeqByConversation();
  }
}
