import type { ConversationSummaryView, MessageView, ServerFrame } from '@parley/protocol';
import type { ParleyApi } from './api.js';
import { reconnectDelayMs } from './backoff.js';
import type { HistoryBatch, ReceivedMessage } from './client-events.js';
import { FrameHold } from './frame-hold.js';
import { backfillHistory, type BackfillResult } from './history-backfill.js';
import type { SurfacedSeqs } from './surfaced-seqs.js';

/** What the history sync needs from the client it works for. */
export interface HistorySyncHost {
  readonly api: ParleyApi;
  /** The seqs surfaced so far (the client replaces its cursor when it loads its state). */
  surfaced(): SurfacedSeqs;
  /** Surfaces a fetched message as the next one of its conversation. */
  surfaceMessage(message: ReceivedMessage): void;
  /** Surfaces fetched messages older than everything surfaced in their conversation. */
  surfaceHistory(batch: HistoryBatch): void;
  /** Processes frames that were held during a backfill, in arrival order. */
  release(frames: ServerFrame[]): void;
  /** Replaces the connection, so the server replays the frames dropped from a full hold. */
  reconnect(): void;
  /** Saves the client state (the resync flag with it). */
  save(): Promise<void>;
  resynced(result: { pos: number } & BackfillResult): void;
  reportError(error: unknown, what: string): void;
}

export interface HistorySyncOptions {
  /** Newest messages fetched per conversation by a resync. */
  resyncPerConversation: number;
  /** Most stream frames held while a backfill runs. */
  heldFramesMax: number;
  /** Jitter in [0, 1) for the waits between failed resync attempts. */
  random: () => number;
}

/**
 * Fills in history over HTTP without breaking the client's promises: no
 * (conversation, seq) surfaced twice, and per conversation every `message`
 * newer than the one before. While a backfill runs, the stream frames of the
 * connection are held (see `FrameHold`); the fetched messages newer than what
 * was surfaced go out as messages, those older as one `history` batch per
 * conversation; then the held frames are processed, and the stream messages
 * the history already covered are dropped by the usual seq check.
 *
 * A resync (welcome's `resync`, or one left unfinished by a previous run, as
 * the saved flag says) retries with backoff until it succeeds; the frames
 * stay held meanwhile, so no live message overtakes the missing ones.
 */
export class HistorySync {
  private readonly hold: FrameHold<ServerFrame>;
  private pending = false;
  /** The generation of the resync under way, if one is. */
  private resyncing: number | undefined;
  /** Bumped by `stop`: work begun before it must not surface anything after it. */
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeRetry: (() => void) | undefined;

  constructor(
    private readonly host: HistorySyncHost,
    private readonly options: HistorySyncOptions,
  ) {
    this.hold = new FrameHold(options.heldFramesMax);
  }

  /** A resync was started and has not finished; part of the saved state. */
  get resyncPending(): boolean {
    return this.pending;
  }

  set resyncPending(pending: boolean) {
    this.pending = pending;
  }

  /** True when the frame was taken to be processed after the running backfill. */
  holdFrame(frame: ServerFrame): boolean {
    return this.hold.offer(frame);
  }

  /** A new connection was welcomed: held frames of the old one will be replayed, and a resync is due if asked. */
  welcomed(pos: number, resync: boolean): void {
    this.hold.discard();
    if (resync) this.pending = true;
    // A resync left over from before a `stop` surfaces nothing more: this connection needs its own.
    if (this.pending && this.resyncing !== this.generation) void this.resync(pos);
  }

  /** Fetches the newest `perConversation` messages of every conversation and surfaces those not shown yet. */
  async pull(perConversation: number): Promise<BackfillResult> {
    const generation = this.generation;
    this.hold.begin();
    try {
      return await this.backfill(perConversation, generation);
    } finally {
      this.release();
    }
  }

  /** The client closed: stop retrying, surface nothing more, drop what is held. */
  stop(): void {
    this.generation += 1;
    this.hold.discard();
    clearTimeout(this.retryTimer);
    this.wakeRetry?.();
  }

  private async resync(pos: number): Promise<void> {
    const generation = this.generation;
    this.resyncing = generation;
    this.hold.begin();
    try {
      for (let attempt = 0; generation === this.generation; attempt++) {
        try {
          // Saved first: a client that stops half-way finishes the resync on its next connection.
          await this.host.save();
          const result = await this.backfill(this.options.resyncPerConversation, generation);
          if (generation !== this.generation) return;
          this.pending = false;
          this.host.resynced({ pos, ...result });
          return;
        } catch (error) {
          if (generation !== this.generation) return;
          this.host.reportError(error, 'resync failed; retrying');
          await this.waitBeforeRetry(reconnectDelayMs(attempt, this.options.random));
        }
      }
    } finally {
      if (this.resyncing === generation) this.resyncing = undefined;
      this.release();
    }
  }

  private backfill(perConversation: number, generation: number): Promise<BackfillResult> {
    return backfillHistory({
      api: this.host.api,
      perConversation,
      wants: (conversation) => this.wants(conversation, perConversation),
      deliver: (conversation, page) => (generation === this.generation ? this.deliver(conversation, page) : 0),
    });
  }

  private wants(conversation: ConversationSummaryView, perConversation: number): boolean {
    const surfaced = this.host.surfaced();
    const oldestFetched = Math.max(1, conversation.lastSeq - perConversation + 1);
    return conversation.lastSeq > surfaced.max(conversation.id) || surfaced.floor(conversation.id) > oldestFetched;
  }

  private deliver(conversation: string, page: MessageView[]): number {
    const { newer, older } = this.host.surfaced().admitFetched(conversation, page);
    if (older.length > 0) this.host.surfaceHistory({ conversation, messages: older.map(fromHistory) });
    for (const message of newer) this.host.surfaceMessage(fromHistory(message));
    return older.length + newer.length;
  }

  /** Ends one backfill. Whatever is held then belongs to the current connection: `stop` and `welcomed` discard the rest. */
  private release(): void {
    const { frames, dropped } = this.hold.end();
    this.host.release(frames);
    if (dropped) this.host.reconnect();
  }

  private waitBeforeRetry(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeRetry = resolve;
      this.retryTimer = setTimeout(resolve, delayMs);
    });
  }
}

function fromHistory(message: MessageView): ReceivedMessage {
  return { ...message, type: 'message', source: 'history' };
}
