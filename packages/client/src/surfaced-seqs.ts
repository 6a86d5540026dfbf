/**
 * Which messages of each conversation the app has been shown, kept as one
 * range of seqs per conversation, `[floor, max]`: the stream surfaces
 * messages in ascending seq (raising `max`), and history fetched over HTTP
 * either continues past `max` or goes before `floor`. Seqs inside the range
 * count as shown even if the stream skipped some (a membership gap): the
 * rule is "never twice", and a hole is still readable with `api.history`.
 */
export class SurfacedSeqs {
  private readonly maxSeqs: Map<string, number>;
  private readonly floors: Map<string, number>;

  constructor(maxSeqByConversation: Record<string, number>, minSeqByConversation: Record<string, number>) {
    this.maxSeqs = new Map(Object.entries(maxSeqByConversation));
    this.floors = new Map(Object.entries(minSeqByConversation));
  }

  max(conversation: string): number {
    return this.maxSeqs.get(conversation) ?? 0;
  }

  /**
   * The lowest seq shown; Infinity when none was. A state saved before floors
   * were kept has a max but no floor: everything up to the max counts as shown.
   */
  floor(conversation: string): number {
    const floor = this.floors.get(conversation);
    if (floor !== undefined) return floor;
    return this.max(conversation) > 0 ? 1 : Number.POSITIVE_INFINITY;
  }

  /** A live message: true (and now shown) when its seq is past everything shown. */
  admitNext(conversation: string, seq: number): boolean {
    if (seq <= this.max(conversation)) return false;
    if (!Number.isFinite(this.floor(conversation))) this.floors.set(conversation, seq);
    this.maxSeqs.set(conversation, seq);
    return true;
  }

  /**
   * Sorts a page of fetched messages (ascending seq) into those newer than
   * everything shown, to surface as messages in order, and those older than
   * everything shown, to surface as one batch of history; the rest were
   * shown already. Both groups count as shown from now on.
   */
  admitFetched<M extends { seq: number }>(conversation: string, page: readonly M[]): { newer: M[]; older: M[] } {
    const max = this.max(conversation);
    const floor = this.floor(conversation);
    const newer = page.filter((message) => message.seq > max);
    const older = page.filter((message) => message.seq < floor && message.seq <= max);
    const lowest = older[0] ?? newer[0];
    if (lowest !== undefined) this.floors.set(conversation, Math.min(floor, lowest.seq));
    const highest = newer.at(-1);
    if (highest !== undefined) this.maxSeqs.set(conversation, highest.seq);
    return { newer, older };
  }

  clear(): void {
    this.maxSeqs.clear();
    this.floors.clear();
  }

  maxSeqByConversation(): Record<string, number> {
    return Object.fromEntries(this.maxSeqs);
  }

  minSeqByConversation(): Record<string, number> {
    return Object.fromEntries(this.floors);
  }
}
