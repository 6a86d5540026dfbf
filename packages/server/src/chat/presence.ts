import type { PresenceEvent } from '@parley/protocol';
import type { TimerHandle } from '../clock/clock.js';
import type { ChatContext } from './chat-context.js';
import type { AccountStore, BlockStore } from './store-port.js';
import type { User } from './model.js';

/**
 * What a user's direct peers are told of their presence. Who is online is the
 * bus's record (`Bus.onlineDevices`); this keeps only what was announced. A
 * user is online from their first device's connection until their last one
 * has been gone for `graceMs`, so a reconnect does not flap. Changes go to the
 * users who share a direct conversation with them, unless their `lastSeen`
 * setting is `nobody` or a block stands between the two.
 */
export class Presence {
  /** Users announced online, those within their grace period included. */
  private readonly announcedOnline = new Set<string>();
  /** Users whose devices are all gone, until their grace period ends: when the last one left, and the timer that ends it. */
  private readonly goingOffline = new Map<string, { leftAt: number; timer: TimerHandle }>();

  constructor(
    private readonly context: ChatContext<Pick<AccountStore, 'setLastSeenAt' | 'listDirectPeers' | 'getUser'> & Pick<BlockStore, 'listBlockRelations'>>,
    private readonly graceMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  isOnline(userId: string): boolean {
    return this.announcedOnline.has(userId);
  }

  connected(userId: string): void {
    const pending = this.goingOffline.get(userId);
    if (pending !== undefined) {
      this.context.clock.cancel(pending.timer);
      this.goingOffline.delete(userId);
      return;
    }
    if (this.announcedOnline.has(userId)) return;
    this.announcedOnline.add(userId);
    this.announce(userId, { type: 'presence', user: userId, online: true });
  }

  /** A session of the user ended, after releasing its device's mark on the bus. */
  disconnected(userId: string): void {
    const leftAt = this.context.clock.now();
    this.context.bus
      .onlineDevices(userId)
      .then((devices) => {
        if (devices.size > 0 || this.goingOffline.has(userId) || !this.announcedOnline.has(userId)) return;
        const timer = this.context.clock.schedule(this.graceMs, () => {
          this.goingOffline.delete(userId);
          this.announcedOnline.delete(userId);
          this.context.store.setLastSeenAt(userId, leftAt).catch(this.onError);
          this.announce(userId, { type: 'presence', user: userId, online: false, lastSeen: leftAt });
        });
        this.goingOffline.set(userId, { leftAt, timer });
      })
      .catch(this.onError);
  }

  /**
   * At shutdown: records the last-seen time of everyone this node announced
   * online, those within the grace included, which their pending timers would
   * otherwise never write; peers asking after a restart see when they really left.
   */
  async recordLastSeen(): Promise<void> {
    const now = this.context.clock.now();
    const writes: Promise<void>[] = [];
    for (const userId of this.announcedOnline) {
      const pending = this.goingOffline.get(userId);
      if (pending !== undefined) this.context.clock.cancel(pending.timer);
      writes.push(this.context.store.setLastSeenAt(userId, pending?.leftAt ?? now));
    }
    this.goingOffline.clear();
    this.announcedOnline.clear();
    await Promise.all(writes);
  }

  /** The presence of the user's direct peers, for a device that just connected. */
  async snapshotFor(userId: string): Promise<PresenceEvent[]> {
    const peers = await this.context.store.listDirectPeers(userId);
    const blocked = new Set(await this.context.store.listBlockRelations(userId));
    const events: PresenceEvent[] = [];
    for (const peerId of peers) {
      const event = blocked.has(peerId) ? undefined : await this.visiblePresenceOf(peerId);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  /**
   * Two users just got a direct conversation: each one's devices are told the
   * other's presence now, as on connect, rather than at the other's next
   * change or their own next connection.
   */
  introduce(first: string, second: string): void {
    void (async () => {
      const blocked = new Set(await this.context.store.listBlockRelations(first));
      if (blocked.has(second)) return;
      for (const [viewer, subject] of [[first, second], [second, first]] as const) {
        const event = await this.visiblePresenceOf(subject);
        if (event !== undefined) this.context.bus.publish(viewer, { kind: 'ephemeral', frame: JSON.stringify(event) });
      }
    })().catch(this.onError);
  }

  /** The user's presence as peers may see it: none when their `lastSeen` setting is `nobody`. */
  private async visiblePresenceOf(userId: string): Promise<PresenceEvent | undefined> {
    const user = await this.context.store.getUser(userId);
    return user === undefined || user.lastSeen === 'nobody' ? undefined : this.presenceOf(user);
  }

  private presenceOf(user: User): PresenceEvent {
    if (this.isOnline(user.id)) return { type: 'presence', user: user.id, online: true };
    return { type: 'presence', user: user.id, online: false, ...(user.lastSeenAt === null ? {} : { lastSeen: user.lastSeenAt }) };
  }

  private announce(userId: string, event: PresenceEvent): void {
    void (async () => {
      const user = await this.context.store.getUser(userId);
      if (user === undefined || user.lastSeen === 'nobody') return;
      const frame = JSON.stringify(event);
      const blocked = new Set(await this.context.store.listBlockRelations(userId));
      for (const peerId of await this.context.store.listDirectPeers(userId)) {
        if (!blocked.has(peerId)) this.context.bus.publish(peerId, { kind: 'ephemeral', frame });
      }
    })().catch(this.onError);
  }
}
