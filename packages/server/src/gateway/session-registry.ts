import type { Bus, HeardNotice, WireEntry } from '../bus/bus.js';
import { CatchUpQueue } from './catch-up-queue.js';

/** What the registry needs of a session: where a user's notices go. */
export interface NoticeReceiver {
  /** The authenticated device, or undefined before `hello` is answered. */
  readonly deviceId: string | undefined;
  deliverEntries(entries: WireEntry[]): void;
  /** `receiptsOf`: send it only while watching that conversation's receipts. */
  deliverEphemeral(frame: string, receiptsOf: string | undefined): void;
  close(code: number, reason: string): void;
  /** The user's stream ends at `newestPos`: a session that sent less reads the rest from the store. */
  catchUp(newestPos: number): void;
}

export interface SessionRegistryParts {
  bus: Bus;
  /** The newest pos of a user's stream, read once per user for a catch-up. */
  newestPos: (userId: string) => Promise<number>;
  /** Users caught up at once, at most. */
  catchUpConcurrencyMax: number;
  onCatchUpError: (error: unknown) => void;
}

interface UserEntry {
  sessions: Set<NoticeReceiver>;
  unsubscribe: () => void;
}

/**
 * The open, authenticated sessions of this node, by user. It subscribes to a
 * user's notices on the bus while the user has at least one session here:
 * the bus is the only way sessions learn of new events. When the bus says
 * notices may have been lost (`catch_up`), the user's stream end is read once
 * and each session behind it reads the store.
 */
export class SessionRegistry {
  private readonly users = new Map<string, UserEntry>();
  private readonly catchUps: CatchUpQueue;

  constructor(private readonly parts: SessionRegistryParts) {
    this.catchUps = new CatchUpQueue({
      catchUpUser: (userId) => this.catchUpUser(userId),
      concurrencyMax: parts.catchUpConcurrencyMax,
      onError: parts.onCatchUpError,
    });
  }

  add(userId: string, session: NoticeReceiver): void {
    let entry = this.users.get(userId);
    if (entry === undefined) {
      const sessions = new Set<NoticeReceiver>();
      const unsubscribe = this.parts.bus.subscribe(userId, (notice) => {
        if (notice.kind === 'catch_up') this.catchUps.add(userId);
        else dispatch(sessions, notice);
      });
      entry = { sessions, unsubscribe };
      this.users.set(userId, entry);
    }
    entry.sessions.add(session);
  }

  remove(userId: string, session: NoticeReceiver): void {
    const entry = this.users.get(userId);
    if (entry === undefined || !entry.sessions.delete(session)) return;
    if (entry.sessions.size === 0) {
      entry.unsubscribe();
      this.users.delete(userId);
    }
  }

  private async catchUpUser(userId: string): Promise<void> {
    if (!this.users.has(userId)) return;
    const newestPos = await this.parts.newestPos(userId);
    // Read now: a session that arrived meanwhile started its own replay, and one that left is gone.
    for (const session of [...(this.users.get(userId)?.sessions ?? [])]) session.catchUp(newestPos);
  }
}

function dispatch(sessions: Set<NoticeReceiver>, notice: Exclude<HeardNotice, { kind: 'catch_up' }>): void {
  // Copy: a session may close, and leave the set, while it handles the notice.
  for (const session of [...sessions]) {
    switch (notice.kind) {
      case 'stream':
        session.deliverEntries(notice.entries);
        break;
      case 'device_revoked':
        if (session.deviceId === notice.deviceId) session.close(4403, 'device revoked');
        break;
      case 'ephemeral':
        session.deliverEphemeral(notice.frame, notice.receiptsOf);
        break;
    }
  }
}
