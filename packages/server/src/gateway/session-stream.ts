import type { Logger } from 'pino';
import { CloseCode } from '@parley/protocol';
import { ackStream } from '../chat/ack-stream.js';
import type { Caller, ChatContext } from '../chat/chat-context.js';
import { gapWasAcked } from '../chat/gap-was-acked.js';
import { readStream } from '../chat/read-stream.js';
import type { KeyedRateLimiter } from '../lib/keyed-rate-limiter.js';
import type { ServerMetrics } from '../lib/server-metrics.js';
import { AckWriter } from './ack-writer.js';
import { FrameHandler } from './frame-handler.js';
import { isUnavailable } from './is-unavailable.js';
import { ReceiptWatch } from './receipt-watch.js';
import type { SessionLimits } from './session-limits.js';
import type { SocketWriter } from './socket-writer.js';
import { StreamAcks } from './stream-acks.js';
import { StreamGapError, StreamPump } from './stream-pump.js';
import type { WorkInFlight } from './work-in-flight.js';

/** What an authenticated connection runs: its stream going out, the acks coming back, the client's frames, what it watches. */
export interface SessionStream {
  pump: StreamPump;
  acks: StreamAcks;
  frames: FrameHandler;
  watch: ReceiptWatch;
}

export interface SessionStreamParts {
  chat: ChatContext;
  writer: SocketWriter;
  sendLimiter: KeyedRateLimiter;
  typingLimiter: KeyedRateLimiter;
  limits: SessionLimits;
  inFlight: WorkInFlight;
  metrics: ServerMetrics;
  logger: Logger;
  /** False once the session closes or drains. */
  isLive: () => boolean;
  close: (code: number, reason: string) => void;
}

/** Wires the parts of an authenticated connection whose stream starts after `afterPos`. */
export function createSessionStream(caller: Caller, afterPos: number, parts: SessionStreamParts): SessionStream {
  const { chat, limits, logger } = parts;
  const ackWriter = new AckWriter(
    (pos) => ackStream(chat, caller, pos),
    { receiptMs: limits.ackWriteDelayMs, quietMs: limits.quietAckWriteDelayMs },
    // A storage outage is logged once by the store; each connection's failed ack is only a warning then.
    (error) => logger[isUnavailable(error) ? 'warn' : 'error']({ err: error }, 'ack write failed'),
  );
  ackWriter.start(afterPos);
  const acks = new StreamAcks(ackWriter, caller.userId);
  const pump = new StreamPump(
    {
      writer: parts.writer,
      readPage: (from, limit) => readStream(chat, caller, from, limit),
      gapWasAcked: (storedPos) => gapWasAcked(chat, caller, storedPos),
      replayPageSize: limits.replayPageSize,
      isLive: parts.isLive,
      onSent: (entry) => acks.sent(entry),
      onFailure: (error) => {
        if (error instanceof StreamGapError) {
          logger.warn({ err: error, userId: caller.userId, deviceId: caller.deviceId }, 'stream compacted past a connecting device; it resyncs');
          parts.close(CloseCode.goingAway, 'stream compacted: reconnect to resync');
          return;
        }
        logger.error({ err: error }, 'replay failed');
        parts.close(CloseCode.goingAway, 'replay failed');
      },
    },
    afterPos,
  );
  const watch = new ReceiptWatch();
  const frames = new FrameHandler({ ...parts, caller, pump, acks, watch, rateLimitStrikesMax: limits.rateLimitStrikesMax });
  return { pump, acks, frames, watch };
}
