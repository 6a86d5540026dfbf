import type { TypingFrame } from '@parley/protocol';
import type { Clock } from './clock.js';

export interface TypingThrottleOptions {
  clock: Clock;
  /**
   * While typing goes on, a new `active: true` frame goes out at most this
   * often. It must stay below the receivers' expiry so the indicator does not
   * blink off between refreshes.
   */
  refreshIntervalMs: number;
  /** Writes one frame; false when it could not be written (no open connection). */
  send(frame: TypingFrame): boolean;
}

/**
 * The sending side of typing indicators. Apps call `setTyping(true)` on every
 * keystroke; the server drops frames past its rate (2/s), so the client
 * sends a start once, refreshes it every `refreshIntervalMs` while typing
 * continues, and a stop only when a start went out.
 */
export class TypingThrottle {
  /** Conversation → when the last start frame went out. */
  private readonly startedAt = new Map<string, number>();

  constructor(private readonly options: TypingThrottleOptions) {}

  /** False when a frame was due but there was no connection to write it to. */
  setTyping(conversation: string, active: boolean): boolean {
    const startedAt = this.startedAt.get(conversation);
    if (!active) {
      if (startedAt === undefined) return true;
      this.startedAt.delete(conversation);
      return this.options.send({ type: 'typing', conversation, active: false });
    }
    const now = this.options.clock.now();
    if (startedAt !== undefined && now - startedAt < this.options.refreshIntervalMs) return true;
    if (!this.options.send({ type: 'typing', conversation, active: true })) return false;
    this.startedAt.set(conversation, now);
    return true;
  }

  /**
   * The user sent a message here: receivers end the indicator on their own
   * when it arrives, so the next keystroke must start it again.
   */
  messageSent(conversation: string): void {
    this.startedAt.delete(conversation);
  }

  /** A new connection: nobody on it has seen a start yet. */
  reset(): void {
    this.startedAt.clear();
  }
}
