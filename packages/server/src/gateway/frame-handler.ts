import type { Logger } from 'pino';
import { CloseCode, type ClientFrame, type SendFrame } from '@parley/protocol';
import type { Caller, ChatContext } from '../chat/chat-context.js';
import { markRead } from '../chat/mark-read.js';
import { ParleyError } from '../chat/parley-error.js';
import { sendMessage } from '../chat/send-message.js';
import { sendTyping } from '../chat/send-typing.js';
import { watchReceipts } from '../chat/watch-receipts.js';
import type { KeyedRateLimiter } from '../lib/keyed-rate-limiter.js';
import type { ServerMetrics } from '../lib/server-metrics.js';
import { errorFrame } from './error-frame.js';
import { isUnavailable } from './is-unavailable.js';
import type { ReceiptWatch } from './receipt-watch.js';
import type { SocketWriter } from './socket-writer.js';
import type { StreamAcks } from './stream-acks.js';
import type { StreamPump } from './stream-pump.js';
import { StrikesInRow } from './strikes-in-row.js';
import type { WorkInFlight } from './work-in-flight.js';

/** The frames a client sends once its `hello` is answered. */
export type SessionFrame = Exclude<ClientFrame, { type: 'hello' }>;

export interface FrameHandlerParts {
  chat: ChatContext;
  caller: Caller;
  writer: SocketWriter;
  pump: StreamPump;
  acks: StreamAcks;
  /** The conversation whose per-member receipts this connection watches. */
  watch: ReceiptWatch;
  sendLimiter: KeyedRateLimiter;
  /** Typing frames over this rate are dropped silently: they are hints, not data. */
  typingLimiter: KeyedRateLimiter;
  rateLimitStrikesMax: number;
  /** The use cases started here: a drain waits for their answers. */
  inFlight: WorkInFlight;
  metrics: ServerMetrics;
  logger: Logger;
  /** Closes the session (a client that keeps sending too fast). */
  close: (code: number, reason: string) => void;
}

/**
 * What an authenticated connection does with each frame of its client: runs
 * the frame's use case for the caller and answers it (`sent`, `pong`, or an
 * error frame with the frame's ref).
 */
export class FrameHandler {
  private readonly rateStrikes: StrikesInRow;
  /**
   * After a send was refused with `unavailable`, later sends are refused too
   * until the wait it named has passed: a later message stored now would
   * overtake the refused one, which the client re-sends after the wait.
   */
  private sendsRefusedUntil = 0;

  constructor(private readonly parts: FrameHandlerParts) {
    this.rateStrikes = new StrikesInRow(parts.rateLimitStrikesMax);
  }

  handle(frame: SessionFrame): void {
    const { chat, caller, writer, typingLimiter } = this.parts;
    switch (frame.type) {
      case 'send':
        this.send(frame);
        return;
      case 'ack':
        this.ack(frame.pos);
        return;
      case 'read':
        this.run(markRead(chat, caller, frame.conversation, frame.seq));
        return;
      case 'typing':
        if (typingLimiter.take(caller.deviceId) > 0) return;
        this.run(sendTyping(chat, caller, frame.conversation, frame.active));
        return;
      case 'ping':
        writer.writeFrame({ type: 'pong' });
        return;
      case 'watch_receipts':
        this.run(this.parts.watch.request(frame.conversation, (conversationId) => watchReceipts(chat, caller, conversationId)));
        return;
    }
  }

  private send(frame: SendFrame): void {
    const { chat, caller, writer, sendLimiter, inFlight, metrics } = this.parts;
    const waitMs = sendLimiter.take(caller.deviceId);
    if (waitMs > 0) {
      if (this.rateStrikes.strike()) this.parts.close(CloseCode.rateLimitAbused, 'rate limit abused');
      else writer.writeFrame(errorFrame(new ParleyError('rate_limited', 'sending too fast', waitMs), frame.id));
      return;
    }
    this.rateStrikes.clear();
    const refusedForMs = this.sendsRefusedUntil - chat.clock.now();
    if (refusedForMs > 0) {
      writer.writeFrame(errorFrame(new ParleyError('unavailable', 'an earlier message could not be stored; try again later', refusedForMs), frame.id));
      return;
    }
    inFlight.track(sendMessage(chat, caller, { id: frame.id, conversationId: frame.conversation, body: frame.body })).then(
      (message) => {
        metrics.messagesAccepted.inc();
        writer.writeFrame({ type: 'sent', id: message.id, conversation: message.conversationId, seq: message.seq, at: message.at });
      },
      (error: unknown) => {
        if (isUnavailable(error)) this.refuseSendsFor(error.retryAfterMs ?? 0);
        this.answerFailure(error, frame.id);
      },
    );
  }

  private refuseSendsFor(ms: number): void {
    this.sendsRefusedUntil = Math.max(this.sendsRefusedUntil, this.parts.chat.clock.now() + ms);
  }

  private ack(pos: number): void {
    const { sentPos } = this.parts.pump;
    if (pos > sentPos) {
      this.parts.writer.writeFrame(errorFrame(new ParleyError('bad_request', `ack of pos ${pos} beyond the last sent pos ${sentPos}`)));
      return;
    }
    this.parts.acks.acked(pos);
  }

  /** Answers the failure of a use case that has no answer of its own. */
  private run(useCase: Promise<void>): void {
    this.parts.inFlight.track(useCase).catch((error: unknown) => this.answerFailure(error));
  }

  private answerFailure(error: unknown, ref?: string): void {
    if (!(error instanceof ParleyError)) this.parts.logger.error({ err: error }, 'frame failed');
    this.parts.writer.writeFrame(errorFrame(error, ref));
  }
}
