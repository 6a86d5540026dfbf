/**
 * Time as the client sees it, for the features that expire or throttle
 * (typing indicators). Injected so tests move time by hand instead of
 * sleeping; the server's `FakeClock` fits this shape.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs`; returns a handle for `cancel`. */
  schedule(delayMs: number, callback: () => void): unknown;
  cancel(handle: unknown): void;
}

/** The real clock: `Date.now` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule: (delayMs, callback) => setTimeout(callback, delayMs),
  cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
