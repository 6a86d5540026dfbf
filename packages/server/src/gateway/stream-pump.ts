import type { WireEntry } from '../bus/bus.js';
import type { StreamEntry } from '../chat/model.js';
import { streamEntryFrame } from '../chat/stream-frames.js';
import type { SocketWriter } from './socket-writer.js';

export interface StreamPumpParts {
  writer: SocketWriter;
  /** Reads the stored entries after `afterPos`, at most `limit`, in pos order. */
  readPage: (afterPos: number, limit: number) => Promise<StreamEntry[]>;
  /** Whether the device acked every event the store lost before `storedPos` (see gapWasAcked). */
  gapWasAcked: (storedPos: number) => Promise<boolean>;
  replayPageSize: number;
  /** False once the session closes or drains: no more entries go out. */
  isLive: () => boolean;
  /** Told of each entry written, after `sentPos` moved to it. */
  onSent: (entry: WireEntry) => void;
  /** Reading the store failed, or it no longer holds what follows `sentPos`; the session closes and the client resumes from its acked pos. */
  onFailure: (error: unknown) => void;
}

/**
 * The stored stream no longer starts right after what this connection sent,
 * and the device did not ack the events in between: another device compacted
 * the stream while this one, away longer than the retention window, was
 * connecting. Sending on would skip the deleted events silently. The
 * compaction raised the floor past this device's acked pos, so its next
 * connection resyncs (`startStream`).
 */
export class StreamGapError extends Error {
  constructor(sentPos: number, storedPos: number) {
    super(`the stored stream continues at pos ${storedPos}, not after pos ${sentPos}`);
    this.name = 'StreamGapError';
  }
}

/**
 * Sends a user's stream to one connection strictly in pos order, with no gap
 * and no repeat: stored entries page by page after the acked pos (the replay),
 * then the live entries the bus brings. A live entry that does not follow
 * `sentPos` means a notice was lost or overtaken: the store has the gap, so
 * the pump reads it from there. A gap in the store itself is skipped when the
 * device acked what is missing, and otherwise ends the connection
 * (`StreamGapError`).
 */
export class StreamPump {
  private pumping = false;
  private pumpAgain = false;

  constructor(
    private readonly parts: StreamPumpParts,
    /** The newest pos written to this connection. */
    private sentPosition: number,
  ) {}

  get sentPos(): number {
    return this.sentPosition;
  }

  /** Entries just committed to the user's stream, from the bus. */
  deliver(entries: WireEntry[]): void {
    if (this.pumping || entries.length === 0) {
      void this.pump();
      return;
    }
    for (const entry of entries) {
      if (entry.pos <= this.sentPosition) continue;
      if (entry.pos !== this.sentPosition + 1) {
        void this.pump();
        return;
      }
      if (!this.writeEntry(entry)) return;
    }
  }

  /** The bus may have lost notices and the stream ends at `newestPos`: reads the store only when this connection is behind it. */
  catchUp(newestPos: number): void {
    if (newestPos > this.sentPosition) void this.pump();
  }

  /** Sends every stored entry after `sentPos`; a call while pumping makes the running pump look again. */
  async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.pumpStoredEntries();
      } while (this.pumpAgain && this.parts.isLive());
    } catch (error) {
      this.parts.onFailure(error);
    } finally {
      this.pumping = false;
    }
  }

  private async pumpStoredEntries(): Promise<void> {
    const { readPage, replayPageSize, writer, isLive } = this.parts;
    while (isLive()) {
      const entries = await readPage(this.sentPosition, replayPageSize);
      for (const entry of entries) {
        if (entry.pos <= this.sentPosition) continue;
        if (entry.pos !== this.sentPosition + 1) await this.skipAckedGap(entry.pos);
        if (!writer.hasRoom() && !(await writer.waitForRoom())) return;
        if (!isLive() || !this.writeEntry(streamEntryFrame(entry))) return;
      }
      if (entries.length < replayPageSize) return;
    }
  }

  /** The device's previous connection acked what is missing and compacted it away: the stream goes on past it. */
  private async skipAckedGap(storedPos: number): Promise<void> {
    if (!(await this.parts.gapWasAcked(storedPos))) throw new StreamGapError(this.sentPosition, storedPos);
    this.sentPosition = storedPos - 1;
  }

  private writeEntry(entry: WireEntry): boolean {
    if (!this.parts.writer.write(entry.frame)) return false;
    this.sentPosition = entry.pos;
    this.parts.onSent(entry);
    return true;
  }
}
