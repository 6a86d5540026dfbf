import type { Bus } from '../bus/bus.js';
import type { Clock } from '../clock/clock.js';
import type { Store } from './store-port.js';

/** The limits the core enforces; the edges enforce their own (frame and header sizes). */
export interface ChatLimits {
  maxDevices: number;
  maxGroupSize: number;
  maxTextLength: number;
  maxBodyBytes: number;
  historyPageMax: number;
  /** A device unused this long loses its token. */
  tokenIdleExpiryMs: number;
  /** A wall clock stepped further than this since start is not trusted to expire tokens. */
  clockStepToleranceMs: number;
  /** Failed logins per account or address before each further attempt waits. */
  loginFailuresFree: number;
}

/**
 * What every use case may use: ports only, wired in `app.ts`. A use case
 * names the part of the store it uses (`ChatContext<MessageStore>`), so a
 * reader sees what it touches and a test can hand it just that.
 */
export interface ChatContext<S = Store> {
  store: S;
  bus: Bus;
  clock: Clock;
  limits: ChatLimits;
}

/** Who is calling: the device a token or `hello` authenticated. */
export interface Caller {
  userId: string;
  deviceId: string;
}
