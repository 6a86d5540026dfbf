/**
 * Holds the stream frames of the current connection while a history
 * backfill (a resync or a history pull) runs, so that messages fetched over
 * HTTP are surfaced before the live ones that follow them and each
 * conversation's messages come out in ascending seq. Held frames are neither
 * processed nor acked, so nothing is lost if the client stops meanwhile: the
 * server replays them on the next connection.
 */
export class FrameHold<Frame> {
  private depth = 0;
  private frames: Frame[] = [];
  private dropped = false;

  /** Frames held past this are dropped; the client reconnects after the backfill to have them replayed. */
  constructor(private readonly framesMax: number) {}

  get holding(): boolean {
    return this.depth > 0;
  }

  /** One more backfill runs; frames are held until every one has ended. */
  begin(): void {
    this.depth += 1;
  }

  /** True when the frame was taken: held, or dropped because the hold is full. */
  offer(frame: Frame): boolean {
    if (this.depth === 0) return false;
    if (this.frames.length >= this.framesMax) this.dropped = true;
    else this.frames.push(frame);
    return true;
  }

  /**
   * Ends one backfill. When it was the last, returns the held frames in
   * arrival order, and whether some were dropped (the connection must then be
   * replaced, so that the server replays them).
   */
  end(): { frames: Frame[]; dropped: boolean } {
    if (this.depth === 0) throw new Error('FrameHold.end without begin');
    this.depth -= 1;
    if (this.depth > 0) return { frames: [], dropped: false };
    const released = { frames: this.frames, dropped: this.dropped };
    this.discard();
    return released;
  }

  /** A new connection: the server replays everything held, since none of it was acked. */
  discard(): void {
    this.frames = [];
    this.dropped = false;
  }
}
