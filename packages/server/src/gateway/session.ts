import type { Logger } from 'pino';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  CloseCode,
  parseClientFrame,
  type ClientFrame,
  type HelloFrame,
  type SendFrame,
  type ServerFrame,
} from '@parley/protocol';
import type { WireEntry } from '../bus/bus.js';
import type { TimerHandle } from '../clock/clock.js';
import { ackStream } from '../chat/ack-stream.js';
import { authenticateDevice } from '../chat/authenticate-device.js';
import type { Caller, ChatContext } from '../chat/chat-context.js';
import { markRead } from '../chat/mark-read.js';
import { ParleyError } from '../chat/parley-error.js';
import type { Presence } from '../chat/presence.js';
import { sendMessage } from '../chat/send-message.js';
import { sendTyping } from '../chat/send-typing.js';
import { startStream } from '../chat/start-stream.js';
import { compactStream } from '../chat/compact-stream.js';
import { streamEntryFrame } from '../chat/stream-frames.js';
import type { KeyedRateLimiter } from '../lib/keyed-rate-limiter.js';
import type { ServerMetrics } from '../lib/server-metrics.js';
import { AckWriter } from './ack-writer.js';
import { errorFrame } from './error-frame.js';
import type { SessionRegistry } from './session-registry.js';
import { waitForDrain } from './wait-for-drain.js';

export interface SessionLimits {
  helloTimeoutMs: number;
  sendQueueBytesMax: number;
  replayPageSize: number;
  badFramesMax: number;
  rateLimitStrikesMax: number;
  streamRetentionMs: number;
  /** How long acks gather before one write; 0 writes each at once (see AckWriter). */
  ackWriteDelayMs: number;
  /** The same for acks that make no receipt. */
  quietAckWriteDelayMs: number;
  /** Frames a client may pipeline behind `hello` before it is answered. */
  pendingFramesMax: number;
  /** Levels of nesting a message body may have; deeper is a bad frame. */
  maxBodyDepth: number;
}

export interface SessionDeps {
  chat: ChatContext;
  registry: SessionRegistry;
  sendLimiter: KeyedRateLimiter;
  /** Typing frames over this rate are dropped silently: they are hints, not data. */
  typingLimiter: KeyedRateLimiter;
  presence: Presence;
  metrics: ServerMetrics;
  limits: SessionLimits;
  logger: Logger;
}

/** A device connecting again within this time is not recorded as active again: it still is. */
const activityWriteIntervalMs = 5 * 60_000;

/** Small frames (events, receipts, answers) share a write up to this size. */
const corkedBytesMax = 16 * 1024;

/** `draining`: shutting down; frames are no longer read, answers to those already read still go out. */
type Phase = 'awaiting_hello' | 'authenticating' | 'open' | 'draining' | 'closed';

/**
 * One WebSocket connection: `hello`, then the replay of unacked events, then
 * live events and the client's frames. Events go out strictly in pos order;
 * `sentPos` is the newest pos written to this socket.
 */
export class Session {
  /** Cleared by the heartbeat sweep, set again by any sign of life. */
  alive = true;
  private phase: Phase = 'awaiting_hello';
  private caller: Caller | undefined;
  private helloTimer: TimerHandle | undefined;
  /** Ends this session's mark of its device as online on the bus (push skips online devices). */
  private releaseOnline: (() => void) | undefined;
  private pendingFrames: string[] = [];
  private sentPos = 0;
  private pumping = false;
  private pumpAgain = false;
  private readonly acks: AckWriter;
  /**
   * Bounds of the messages from others sent and not acked yet: acking one
   * makes a receipt. Two numbers, not a list, so a client that never acks
   * costs nothing: past an ack, the rest is assumed to start right above it,
   * which at worst writes an ack early.
   */
  private lowestUnackedFromOthers = Number.POSITIVE_INFINITY;
  private highestSentFromOthers = 0;
  private badFramesInRow = 0;
  private rateStrikesInRow = 0;

  /** The frames of one event-loop turn leave in one write: a batch's fan-out or a replay page is one syscall, not one per frame. */
  private corked = false;
  /** Use cases started by the client's frames and not settled yet: a drain waits for their answers. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Settles once the work after the connection closed (the last ack, stream compaction) is done. */
  private releasing: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    /** The TCP (or TLS) stream under `socket`, to cork. */
    private readonly transport: Duplex,
    private readonly deps: SessionDeps,
  ) {
    const { ackWriteDelayMs, quietAckWriteDelayMs } = deps.limits;
    this.acks = new AckWriter(
      async (pos) => {
        if (this.caller !== undefined) await ackStream(deps.chat, this.caller, pos);
      },
      { receiptMs: ackWriteDelayMs, quietMs: quietAckWriteDelayMs },
      (error) => deps.logger.error({ err: error }, 'ack write failed'),
    );
  }

  get deviceId(): string | undefined {
    return this.caller?.deviceId;
  }

  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  /** Closed, or draining: no welcome, replay or new events any more. */
  private get isStopping(): boolean {
    return this.phase === 'closed' || this.phase === 'draining';
  }

  start(): void {
    const { clock } = this.deps.chat;
    this.helloTimer = clock.schedule(this.deps.limits.helloTimeoutMs, () => {
      if (this.phase === 'awaiting_hello') this.close(CloseCode.timeout, 'no hello in time');
    });
    this.socket.on('message', (data, isBinary) => {
      this.alive = true;
      if (this.phase === 'draining') return;
      if (isBinary) this.refuseFrame(undefined, 'frames must be text');
      else this.receive(data.toString());
    });
    this.socket.on('pong', () => {
      this.alive = true;
    });
    this.socket.on('close', () => this.release());
    this.socket.on('error', (error) => this.deps.logger.debug({ err: error }, 'socket error'));
  }

  /** Called by the gateway's sweep: pings a live connection, closes one that did not answer the last ping. */
  checkHeartbeat(): void {
    if (this.isClosed) return;
    if (!this.alive) {
      this.close(CloseCode.timeout, 'heartbeat lost');
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  /**
   * Shutting down: reads no more frames, lets the use cases already started
   * answer (a committed send gets its `sent`), then closes with 1001.
   */
  async drain(): Promise<void> {
    if (this.phase === 'closed') return;
    this.phase = 'draining';
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.close(CloseCode.goingAway, 'server shutting down');
  }

  /** Settles once the work after the close (the last ack write, stream compaction) is done. */
  afterClose(): Promise<void> {
    return this.releasing;
  }

  /** Closes the connection with a protocol close code; safe to call more than once. */
  close(code: number, reason: string): void {
    if (this.phase === 'closed') return;
    this.release();
    this.deps.metrics.closes.inc({ code });
    this.socket.close(code, reason);
  }

  /** Entries just committed to this user's stream, from the bus. */
  deliverEntries(entries: WireEntry[]): void {
    // Before `open` the first pump reads everything from the store.
    if (this.phase !== 'open') return;
    if (this.pumping || entries.length === 0) {
      void this.pump();
      return;
    }
    for (const entry of entries) {
      if (entry.pos <= this.sentPos) continue;
      if (entry.pos !== this.sentPos + 1) {
        // A notice was lost or overtaken: the store has the gap.
        void this.pump();
        return;
      }
      if (!this.writeEntry(entry)) return;
    }
  }

  deliverEphemeral(frame: string): void {
    if (this.phase === 'open') this.write(frame);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  private receive(text: string): void {
    if (this.phase === 'authenticating') {
      if (this.pendingFrames.length >= this.deps.limits.pendingFramesMax) {
        this.close(CloseCode.protocolViolation, 'too many frames before welcome');
      } else {
        this.pendingFrames.push(text);
      }
      return;
    }
    if (this.phase !== 'awaiting_hello' && this.phase !== 'open') return;
    const parsed = parseClientFrame(text, this.deps.limits);
    if (!parsed.ok) {
      this.refuseFrame(parsed.ref, parsed.message);
      return;
    }
    this.badFramesInRow = 0;
    this.handle(parsed.frame);
  }

  private refuseFrame(ref: string | undefined, message: string): void {
    this.writeFrame(errorFrame(new ParleyError('bad_request', message), ref));
    if (this.phase === 'awaiting_hello') {
      this.close(CloseCode.protocolViolation, 'the first frame must be hello');
    } else if (++this.badFramesInRow > this.deps.limits.badFramesMax) {
      this.close(CloseCode.protocolViolation, 'too many bad frames');
    }
  }

  private handle(frame: ClientFrame): void {
    if (this.phase === 'awaiting_hello' && frame.type !== 'hello') {
      this.refuseFrame(undefined, 'the first frame must be hello');
      return;
    }
    switch (frame.type) {
      case 'hello':
        if (this.phase === 'open') {
          this.refuseFrame(undefined, 'hello was already said');
        } else {
          this.track(this.open(frame)).catch((error: unknown) => {
            this.deps.logger.error({ err: error }, 'opening a session failed');
            this.close(CloseCode.goingAway, 'try again');
          });
        }
        return;
      case 'send':
        this.send(frame);
        return;
      case 'ack':
        this.ack(frame.pos);
        return;
      case 'read':
        this.whenCaller((caller) => markRead(this.deps.chat, caller, frame.conversation, frame.seq));
        return;
      case 'typing':
        if (this.caller !== undefined && this.deps.typingLimiter.take(this.caller.deviceId) > 0) return;
        this.whenCaller((caller) => sendTyping(this.deps.chat, caller, frame.conversation, frame.active));
        return;
      case 'ping':
        this.writeFrame({ type: 'pong' });
        return;
    }
  }

  private async open(hello: HelloFrame): Promise<void> {
    this.phase = 'authenticating';
    if (this.helloTimer !== undefined) this.deps.chat.clock.cancel(this.helloTimer);
    let authenticated;
    try {
      authenticated = await authenticateDevice(this.deps.chat, hello.token);
    } catch (error) {
      this.writeFrame(errorFrame(error));
      this.close(CloseCode.unauthorized, 'bad or expired token');
      return;
    }
    if (this.isStopping) return;
    const { user, device } = authenticated;
    this.caller = { userId: user.id, deviceId: device.id };
    // Subscribe before reading the pos: no notice can fall between the two.
    this.deps.registry.add(user.id, this);
    this.deps.presence.connected(user.id);
    // Online first, then cancel: a push job claimed in between sees the device online and is skipped.
    this.releaseOnline = this.deps.chat.bus.markDeviceOnline(user.id, device.id);
    this.deps.chat.store
      .cancelPushJobs(device.id)
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'cancelling push jobs failed'));
    const { afterPos, resync } = await startStream(this.deps.chat, device);
    this.sentPos = afterPos;
    this.acks.start(afterPos);
    const pos = await this.deps.chat.store.currentPos(user.id);
    // Records the device as active (stream retention counts active devices), unless it was a
    // moment ago: a phone on a flaky network reconnects often. Nothing waits for the write.
    if (device.lastActiveAt < this.deps.chat.clock.now() - activityWriteIntervalMs) {
      ackStream(this.deps.chat, this.caller, afterPos).catch((error: unknown) =>
        this.deps.logger.error({ err: error }, 'recording activity failed'),
      );
    }
    if (this.isStopping) return;
    const serverTime = this.deps.chat.clock.now();
    this.writeFrame({ type: 'welcome', user: user.id, device: device.id, pos, serverTime, ...(resync ? { resync } : {}) });
    this.phase = 'open';
    for (const text of this.pendingFrames.splice(0)) this.receive(text);
    await this.pump();
    if (this.isStopping) return;
    this.writeFrame({ type: 'synced', pos: this.sentPos });
    for (const presence of await this.deps.presence.snapshotFor(user.id)) this.writeFrame(presence);
  }

  /** Sends every stored entry after `sentPos`, page by page, waiting for the socket to drain. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.pumpStoredEntries();
      } while (this.pumpAgain && !this.isStopping);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'replay failed');
      this.close(CloseCode.goingAway, 'replay failed');
    } finally {
      this.pumping = false;
    }
  }

  private async pumpStoredEntries(): Promise<void> {
    const { store } = this.deps.chat;
    const { replayPageSize, sendQueueBytesMax } = this.deps.limits;
    const userId = this.caller?.userId;
    while (userId !== undefined && !this.isStopping) {
      const entries = await store.readStream(userId, this.sentPos, replayPageSize);
      for (const entry of entries) {
        if (entry.pos <= this.sentPos) continue;
        // A replay paces itself to the client: it never fills the queue that closes a slow consumer.
        if (this.socket.bufferedAmount > sendQueueBytesMax / 2 && !(await waitForDrain(this.socket, sendQueueBytesMax / 2))) {
          this.close(CloseCode.slowConsumer, 'slow consumer');
          return;
        }
        if (this.isStopping || !this.writeEntry(streamEntryFrame(entry))) return;
      }
      if (entries.length < replayPageSize) return;
    }
  }

  private send(frame: SendFrame): void {
    const caller = this.caller;
    if (caller === undefined) return;
    const waitMs = this.deps.sendLimiter.take(caller.deviceId);
    if (waitMs > 0) {
      if (++this.rateStrikesInRow > this.deps.limits.rateLimitStrikesMax) {
        this.close(CloseCode.rateLimitAbused, 'rate limit abused');
        return;
      }
      this.writeFrame(errorFrame(new ParleyError('rate_limited', 'sending too fast', waitMs), frame.id));
      return;
    }
    this.rateStrikesInRow = 0;
    this.track(sendMessage(this.deps.chat, caller, { id: frame.id, conversationId: frame.conversation, body: frame.body })).then(
      (message) => {
        this.deps.metrics.messagesAccepted.inc();
        this.writeFrame({ type: 'sent', id: message.id, conversation: message.conversationId, seq: message.seq, at: message.at });
      },
      (error: unknown) => this.answerFailure(error, frame.id),
    );
  }

  private ack(pos: number): void {
    if (pos > this.sentPos) {
      this.writeFrame(errorFrame(new ParleyError('bad_request', `ack of pos ${pos} beyond the last sent pos ${this.sentPos}`)));
      return;
    }
    const makesReceipt = this.lowestUnackedFromOthers <= pos;
    if (makesReceipt) this.lowestUnackedFromOthers = this.highestSentFromOthers > pos ? pos + 1 : Number.POSITIVE_INFINITY;
    this.acks.request(pos, makesReceipt);
  }

  /** Runs a use case for the authenticated caller and answers its failure with an error frame. */
  private whenCaller(useCase: (caller: Caller) => Promise<void>): void {
    if (this.caller === undefined) return;
    this.track(useCase(this.caller)).catch((error: unknown) => this.answerFailure(error));
  }

  private answerFailure(error: unknown, ref?: string): void {
    if (!(error instanceof ParleyError)) this.deps.logger.error({ err: error }, 'frame failed');
    this.writeFrame(errorFrame(error, ref));
  }

  private writeFrame(frame: ServerFrame): void {
    if (frame.type === 'error') this.deps.metrics.framesRefused.inc({ code: frame.code });
    this.write(JSON.stringify(frame));
  }

  private writeEntry(entry: WireEntry): boolean {
    if (!this.write(entry.frame)) return false;
    this.sentPos = entry.pos;
    if (entry.sender !== undefined && entry.sender !== this.caller?.userId) {
      this.highestSentFromOthers = entry.pos;
      this.lowestUnackedFromOthers = Math.min(this.lowestUnackedFromOthers, entry.pos);
    }
    return true;
  }

  /** Queues one frame, or closes with 4503 when the client has stopped reading. */
  private write(frame: string): boolean {
    if (this.phase === 'closed') return false;
    if (this.socket.bufferedAmount > this.deps.limits.sendQueueBytesMax) {
      this.close(CloseCode.slowConsumer, 'slow consumer');
      return false;
    }
    this.corkUntilNextTick();
    this.socket.send(frame);
    // Corked bytes count as unsent: past a few frames' worth, they go now,
    // so the slow-consumer check above sees only what the client left unread.
    if (this.transport.writableLength >= corkedBytesMax) {
      this.transport.uncork();
      this.transport.cork();
    }
    return true;
  }

  private corkUntilNextTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.transport.cork();
    process.nextTick(() => {
      this.corked = false;
      this.transport.uncork();
    });
  }

  private release(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    if (this.helloTimer !== undefined) this.deps.chat.clock.cancel(this.helloTimer);
    this.pendingFrames = [];
    this.releaseOnline?.();
    if (this.caller === undefined) return;
    const { userId } = this.caller;
    this.deps.registry.remove(userId, this);
    this.deps.presence.disconnected(userId);
    // After the last ack is written, so what this device acked can go.
    this.releasing = this.acks
      .flush()
      .then(() => compactStream(this.deps.chat, userId, this.deps.limits.streamRetentionMs))
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'compacting a stream failed'));
  }
}
