import type { Bus, UserNotice, WireEntry } from '../bus/bus.js';

/** What the registry needs of a session: where a user's notices go. */
export interface NoticeReceiver {
  /** The authenticated device, or undefined before `hello` is answered. */
  readonly deviceId: string | undefined;
  deliverEntries(entries: WireEntry[]): void;
  /** `receiptsOf`: send it only while watching that conversation's receipts. */
  deliverEphemeral(frame: string, receiptsOf: string | undefined): void;
  close(code: number, reason: string): void;
}

interface UserEntry {
  sessions: Set<NoticeReceiver>;
  unsubscribe: () => void;
}

/**
 * The open, authenticated sessions of this node, by user. It subscribes to a
 * user's notices on the bus while the user has at least one session here:
 * the bus is the only way sessions learn of new events.
 */
export class SessionRegistry {
  private readonly users = new Map<string, UserEntry>();

  constructor(private readonly bus: Bus) {}

  add(userId: string, session: NoticeReceiver): void {
    let entry = this.users.get(userId);
    if (entry === undefined) {
      const sessions = new Set<NoticeReceiver>();
      const unsubscribe = this.bus.subscribe(userId, (notice) => dispatch(sessions, notice));
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
}

function dispatch(sessions: Set<NoticeReceiver>, notice: UserNotice): void {
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
