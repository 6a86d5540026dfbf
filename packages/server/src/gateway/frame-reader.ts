import type { RawData } from 'ws';
import { CloseCode, parseClientFrame, type ClientFrame } from '@parley/protocol';
import { ParleyError } from '../chat/parley-error.js';
import { errorFrame } from './error-frame.js';
import type { SessionLimits } from './session-limits.js';
import type { SessionPhase } from './session-phase.js';
import type { SocketWriter } from './socket-writer.js';
import { StrikesInRow } from './strikes-in-row.js';

export interface FrameReaderParts {
  writer: SocketWriter;
  limits: Pick<SessionLimits, 'badFramesMax' | 'pendingFramesMax' | 'maxBodyDepth'>;
  phase: () => SessionPhase;
  /** A well-formed frame, read while waiting for `hello` or open. */
  onFrame: (frame: ClientFrame) => void;
  close: (code: number, reason: string) => void;
}

/**
 * What comes in on one connection: text frames, parsed by the protocol. A bad
 * one is answered with `bad_request` and counted: before `hello`, or one too
 * many in a row, it closes with 4400. Frames a client pipelines behind
 * `hello` are held until `welcome`; nothing is read while draining.
 */
export class FrameReader {
  private held: string[] = [];
  private readonly badFrames: StrikesInRow;

  constructor(private readonly parts: FrameReaderParts) {
    this.badFrames = new StrikesInRow(parts.limits.badFramesMax);
  }

  /** One WebSocket message. */
  receive(data: RawData, isBinary: boolean): void {
    if (this.parts.phase() === 'draining') return;
    if (isBinary) this.refuse(undefined, 'frames must be text');
    else this.read(data.toString());
  }

  /** Reads the frames held while `hello` was being answered. */
  readHeld(): void {
    for (const text of this.held.splice(0)) this.read(text);
  }

  /** Forgets the frames held: the connection closed. */
  dropHeld(): void {
    this.held = [];
  }

  refuse(ref: string | undefined, message: string): void {
    this.parts.writer.writeFrame(errorFrame(new ParleyError('bad_request', message), ref));
    if (this.parts.phase() === 'awaiting_hello') {
      this.parts.close(CloseCode.protocolViolation, 'the first frame must be hello');
    } else if (this.badFrames.strike()) {
      this.parts.close(CloseCode.protocolViolation, 'too many bad frames');
    }
  }

  private read(text: string): void {
    const phase = this.parts.phase();
    if (phase === 'authenticating') {
      if (this.held.length >= this.parts.limits.pendingFramesMax) {
        this.parts.close(CloseCode.protocolViolation, 'too many frames before welcome');
      } else {
        this.held.push(text);
      }
      return;
    }
    if (phase !== 'awaiting_hello' && phase !== 'open') return;
    const parsed = parseClientFrame(text, this.parts.limits);
    if (!parsed.ok) {
      this.refuse(parsed.ref, parsed.message);
      return;
    }
    this.badFrames.clear();
    this.parts.onFrame(parsed.frame);
  }
}
