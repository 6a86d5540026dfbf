import type { Bus, UserNotice } from '../bus/bus.js';
import type { Session } from './session.js';

interface UserEntry {
  sessions: Set<Session>;
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

  add(userId: string, session: Session): void {
    let entry = this.users.get(userId);
    if (entry === undefined) {
      const sessions = new Set<Session>();
      const unsubscribe = this.bus.subscribe(userId, (notice) => dispatch(sessions, notice));
      entry = { sessions, unsubscribe };
      this.users.set(userId, entry);
    }
    entry.sessions.add(session);
  }

  remove(userId: string, session: Session): void {
    const entry = this.users.get(userId);
    if (entry === undefined || !entry.sessions.delete(session)) return;
    if (entry.sessions.size === 0) {
      entry.unsubscribe();
      this.users.delete(userId);
    }
  }

  /** Device ids with an open session on this node. */
  onlineDevices(userId: string): Set<string> {
    const devices = new Set<string>();
    for (const session of this.users.get(userId)?.sessions ?? []) {
      const deviceId = session.deviceId;
      if (deviceId !== undefined) devices.add(deviceId);
    }
    return devices;
  }
}

function dispatch(sessions: Set<Session>, notice: UserNotice): void {
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
        session.deliverEphemeral(notice.frame);
        break;
    }
  }
}
