import type { ParleyApi, PresenceEvent, UserView } from '@parley/client';

export interface Presence {
  online: boolean;
  lastSeen?: number;
}

/**
 * The other users as this session knows them: display names (fetched once
 * each, on first sight), presence from the stream, and whom the user blocked.
 * `changed` is called whenever any of it changes, for the `users` topic.
 */
export class UserDirectory {
  private readonly users = new Map<string, UserView>();
  private readonly requested = new Set<string>();
  private readonly presences = new Map<string, Presence>();
  private blockedUsers = new Set<string>();

  constructor(
    private readonly api: ParleyApi,
    me: UserView,
    private readonly changed: () => void,
  ) {
    this.users.set(me.id, me);
  }

  /** A user's display name; an unknown one is fetched and `…` stands in until it arrives. */
  nameOf(user: string): string {
    const known = this.users.get(user);
    if (known !== undefined) return known.displayName;
    if (!this.requested.has(user)) {
      this.requested.add(user);
      this.api.user(user).then(
        (view) => {
          this.users.set(user, view);
          this.changed();
        },
        // Asked again the next time the name is needed.
        () => this.requested.delete(user),
      );
    }
    return '…';
  }

  /** A user's display name, fetched first when not known (for a notification, which cannot update later). */
  async displayNameOf(user: string): Promise<string> {
    const known = this.users.get(user);
    if (known !== undefined) return known.displayName;
    const view = await this.api.user(user);
    this.remember(view);
    return view.displayName;
  }

  remember(user: UserView): void {
    this.users.set(user.id, user);
    this.changed();
  }

  presenceOf(user: string): Presence | undefined {
    return this.presences.get(user);
  }

  presence(event: PresenceEvent): void {
    this.presences.set(event.user, { online: event.online, ...(event.lastSeen === undefined ? {} : { lastSeen: event.lastSeen }) });
    this.changed();
  }

  isBlocked(user: string): boolean {
    return this.blockedUsers.has(user);
  }

  async loadBlocked(): Promise<void> {
    this.blockedUsers = new Set(await this.api.blockedUsers());
    this.changed();
  }

  async setBlocked(user: string, blocked: boolean): Promise<void> {
    await this.api.setBlocked(user, blocked);
    if (blocked) this.blockedUsers.add(user);
    else this.blockedUsers.delete(user);
    this.changed();
  }
}
