import type { Store } from './chat/store-port.js';
import type { Clock } from './clock/clock.js';

/** What the store reports as it runs (storage failures, unreadable rows), and how it is opened. */
export interface StoreOpening {
  /** Told when the store stops being able to write (with the reason) and when it can again (undefined). */
  onWritableChange?: (failure: unknown) => void;
  /** Told of each message whose body could not be decrypted; it is served as an unreadable placeholder. */
  onUnreadableMessage?: (conversationId: string, seq: number, error: unknown) => void;
  /** The clock the store's writes take their time from; the system clock when absent. */
  clock?: Clock;
  /** Runs each sync of the store's write-ahead log, given the real one: tests hold syncs with it. */
  syncWal?: (fdatasync: () => Promise<void>) => Promise<void>;
  /** Opened beside a running server (the `keys` commands): the data directory is not locked. */
  besideServer?: boolean;
}

/** A store as the composition root holds it: the port, and the probe readiness asks after a storage failure. */
export interface OpenedStore extends Store {
  /** Whether a small write succeeds within `timeoutMs`. */
  canWrite(timeoutMs: number): Promise<boolean>;
}
