import type { Logger } from 'pino';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode, type ClientFrame, type HelloFrame } from '@parley/protocol';
import type { WireEntry } from '../bus/bus.js';
import type { TimerHandle } from '../clock/clock.js';
import { authenticateDevice } from '../chat/authenticate-device.js';
import type { Caller, ChatContext } from '../chat/chat-context.js';
import { compactStream } from '../chat/compact-stream.js';
import { openStream } from '../chat/open-stream.js';
import type { Presence } from '../chat/presence.js';
import { recordActivity } from '../chat/record-activity.js';
import type { KeyedRateLimiter } from '../lib/keyed-rate-limiter.js';
import type { ServerMetrics } from '../lib/server-metrics.js';
import { connectDevice } from './connect-device.js';
import { errorFrame } from './error-frame.js';
import { FrameReader } from './frame-reader.js';
import { Heartbeat } from './heartbeat.js';
import type { SessionLimits } from './session-limits.js';
import type { SessionPhase } from './session-phase.js';
import type { SessionRegistry } from './session-registry.js';
import { createSessionStream, type SessionStream } from './session-stream.js';
import { SocketWriter } from './socket-writer.js';
import { WorkInFlight } from './work-in-flight.js';

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

/**
 * One WebSocket connection through its phases: `hello` within the hello
 * timeout, authentication, `welcome`, the replay of unacked events and
 * `synced`, then live events and the client's frames, until it closes or the
 * server drains it. The parts it wires do the rest: FrameReader (frames in),
 * SocketWriter (frames out, back-pressure), Heartbeat, and once authenticated
 * the SessionStream (events in pos order, acks, the client's frames).
 */
export class Session {
  private phase: SessionPhase = 'awaiting_hello';
  private helloTimer: TimerHandle | undefined;
  private readonly writer: SocketWriter;
  private readonly reader: FrameReader;
  private readonly heartbeat: Heartbeat;
  private readonly inFlight = new WorkInFlight();
  private caller: Caller | undefined;
  /** Undoes connectDevice when the connection closes. */
  private disconnect: (() => void) | undefined;
  private stream: SessionStream | undefined;
  /** Settles once the work after the connection closed (the last ack, stream compaction) is done. */
  private releasing: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    transport: Duplex,
    private readonly deps: SessionDeps,
  ) {
    this.writer = new SocketWriter(socket, transport, deps.limits.sendQueueBytesMax, deps.metrics, () =>
      this.close(CloseCode.slowConsumer, 'slow consumer'),
    );
    this.reader = new FrameReader({
      writer: this.writer,
      limits: deps.limits,
      phase: () => this.phase,
      onFrame: (frame) => this.handle(frame),
      close: (code, reason) => this.close(code, reason),
    });
    this.heartbeat = new Heartbeat(socket);
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
    this.helloTimer = this.deps.chat.clock.schedule(this.deps.limits.helloTimeoutMs, () => {
      if (this.phase === 'awaiting_hello') this.close(CloseCode.timeout, 'no hello in time');
    });
    this.socket.on('message', (data, isBinary) => this.reader.receive(data, isBinary));
    this.socket.on('close', () => this.release());
    this.socket.on('error', (error) => this.deps.logger.debug({ err: error }, 'socket error'));
  }

  /** Called by the gateway's sweep: pings a live connection, closes one that did not answer the last ping. */
  checkHeartbeat(): void {
    if (this.isClosed || this.heartbeat.sweep()) return;
    this.close(CloseCode.timeout, 'heartbeat lost');
    this.writer.terminate();
  }

  /**
   * Shutting down: reads no more frames, lets the use cases already started
   * answer (a committed send gets its `sent`), then closes with 1001.
   */
  async drain(): Promise<void> {
    if (this.phase === 'closed') return;
    this.phase = 'draining';
    await this.inFlight.settled();
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
    this.writer.close(code, reason);
  }

  /** Entries just committed to this user's stream, from the bus. */
  deliverEntries(entries: WireEntry[]): void {
    // Before `open` the first pump reads everything stored so far.
    if (this.phase === 'open') this.stream?.pump.deliver(entries);
  }

  /** The bus may have lost notices; the stream ends at `newestPos`. */
  catchUp(newestPos: number): void {
    // Before `open` the first pump reads everything stored so far.
    if (this.phase === 'open') this.stream?.pump.catchUp(newestPos);
  }

  deliverEphemeral(frame: string, receiptsOf: string | undefined): void {
    if (this.phase !== 'open') return;
    if (receiptsOf === undefined || this.stream?.watch.isWatching(receiptsOf) === true) this.writer.write(frame);
  }

  private handle(frame: ClientFrame): void {
    if (frame.type !== 'hello') {
      if (this.stream === undefined) this.reader.refuse(undefined, 'the first frame must be hello');
      else this.stream.frames.handle(frame);
    } else if (this.phase === 'open') {
      this.reader.refuse(undefined, 'hello was already said');
    } else {
      this.inFlight.track(this.open(frame)).catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'opening a session failed');
        this.close(CloseCode.goingAway, 'try again');
      });
    }
  }

  private async open(hello: HelloFrame): Promise<void> {
    this.phase = 'authenticating';
    if (this.helloTimer !== undefined) this.deps.chat.clock.cancel(this.helloTimer);
    let authenticated;
    try {
      authenticated = await authenticateDevice(this.deps.chat, hello.token);
    } catch (error) {
      this.writer.writeFrame(errorFrame(error));
      this.close(CloseCode.unauthorized, 'bad or expired token');
      return;
    }
    if (this.isStopping) return;
    const { user, device } = authenticated;
    const caller = { userId: user.id, deviceId: device.id };
    this.caller = caller;
    this.disconnect = connectDevice(caller, this, this.deps);
    const { afterPos, resync, pos } = await openStream(this.deps.chat, device);
    this.stream = createSessionStream(caller, afterPos, {
      ...this.deps,
      writer: this.writer,
      inFlight: this.inFlight,
      isLive: () => !this.isStopping,
      close: (code, reason) => this.close(code, reason),
    });
    recordActivity(this.deps.chat, caller, device, afterPos, activityWriteIntervalMs).catch((error: unknown) =>
      this.deps.logger.error({ err: error }, 'recording activity failed'),
    );
    if (this.isStopping) return;
    const serverTime = this.deps.chat.clock.now();
    this.writer.writeFrame({ type: 'welcome', user: user.id, device: device.id, pos, serverTime, ...(resync ? { resync } : {}) });
    this.phase = 'open';
    this.reader.readHeld();
    await this.stream.pump.pump();
    if (this.isStopping) return;
    this.writer.writeFrame({ type: 'synced', pos: this.stream.pump.sentPos });
    for (const presence of await this.deps.presence.snapshotFor(user.id)) this.writer.writeFrame(presence);
  }

  private release(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    if (this.helloTimer !== undefined) this.deps.chat.clock.cancel(this.helloTimer);
    this.reader.dropHeld();
    this.disconnect?.();
    if (this.caller === undefined) return;
    const { userId } = this.caller;
    // After the last ack is written, so what this device acked can go.
    this.releasing = (this.stream?.acks.flush() ?? Promise.resolve())
      .then(() => compactStream(this.deps.chat, userId, this.deps.limits.streamRetentionMs))
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'compacting a stream failed'));
  }
}
