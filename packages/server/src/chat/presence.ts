import type { PresenceEvent } from '@parley/protocol';
import type { TimerHandle } from '../clock/clock.js';
import type { ChatContext } from './chat-context.js';
import type { AccountStore, BlockStore } from './store-port.js';
import type { User } from './model.js';

/**
 * What a user's direct peers are told of their presence. Who is online is the
 * bus's record (`Bus.onlineDevices`, cluster-wide on a cluster bus); this
 * keeps only what this node announced. A user is online from their first
 * device's connection anywhere until their last one anywhere has been gone
 * for `graceMs`, so a reconnect, to this node or another, does not flap: the
 * node whose device was the last to leave announces it and records last
 * seen, after asking the bus again. Changes go to the users who share a
 * direct conversation with them, unless their `lastSeen` setting is `nobody`
 * or a block stands between the two.
 */
export class Presence {
  /** Users this node holds, or held within their grace period: the ones it may have to announce offline. */
  private readonly announcedOnline = new Set<string>();
  /** Questions to the bus whose outcome (an announcement, a timer) is not decided yet. */
  private readonly deciding = new Set<Promise<void>>();
  /** Users whose devices on this node are all gone, until their grace period ends: when the last one left, and the timer that ends it. */
  private readonly goingOffline = new Map<string, { leftAt: number; timer: TimerHandle }>();

  constructor(
    private readonly context: ChatContext<Pick<AccountStore, 'setLastSeenAt' | 'listDirectPeers' | 'getUser'> & Pick<BlockStore, 'listBlockRelations'>>,
    private readonly graceMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A device of the user connected here; called before the bus marks it online. */
  connected(userId: string, deviceId: string): void {
    const pending = this.goingOffline.get(userId);
    if (pending !== undefined) {
      this.context.clock.cancel(pending.timer);
      this.goingOffline.delete(userId);
      return;
    }
    if (this.announcedOnline.has(userId)) return;
    this.announcedOnline.add(userId);
    this.decide(async () => {
      const devices = await this.context.bus.onlineDevices(userId);
      // Online on another node already: its peers were told then.
      if ([...devices].some((online) => online !== deviceId)) return;
      await this.announce(userId, { type: 'presence', user: userId, online: true });
    });
  }

  /** A session of the user ended, after releasing its device's mark on the bus. */
  disconnected(userId: string): void {
    const leftAt = this.context.clock.now();
    this.decide(async () => {
      const devices = await this.context.bus.onlineDevices(userId);
      if (devices.size > 0 || this.goingOffline.has(userId) || !this.announcedOnline.has(userId)) return;
      const timer = this.context.clock.schedule(this.graceMs, () => this.graceEnded(userId, leftAt));
      this.goingOffline.set(userId, { leftAt, timer });
    });
  }

  /** Settles once every change already under way is decided: its announcement published or its grace timer set. */
  async settled(): Promise<void> {
    while (this.deciding.size > 0) await Promise.all(this.deciding);
  }

  /**
   * At shutdown: records the last-seen time of the users this node announced
   * online, those within the grace included, which their pending timers would
   * otherwise never write, unless they are still online on another node;
   * peers asking after a restart see when they really left.
   */
  async recordLastSeen(): Promise<void> {
    const now = this.context.clock.now();
    const writes: Promise<void>[] = [];
    for (const userId of this.announcedOnline) {
      const pending = this.goingOffline.get(userId);
      if (pending !== undefined) this.context.clock.cancel(pending.timer);
      writes.push(
        this.context.bus.onlineDevices(userId).then(async (devices) => {
          if (devices.size === 0) await this.context.store.setLastSeenAt(userId, pending?.leftAt ?? now);
        }),
      );
    }
    this.goingOffline.clear();
    this.announcedOnline.clear();
    await Promise.all(writes);
  }

  /** The presence of the user's direct peers, for a device that just connected. */
  async snapshotFor(userId: string): Promise<PresenceEvent[]> {
    const peers = await this.context.store.listDirectPeers(userId);
    const blocked = new Set(await this.context.store.listBlockRelations(userId));
    // Asked together: on a cluster each peer's answer may wait for the other nodes.
    const events = await Promise.all(peers.map((peerId) => (blocked.has(peerId) ? undefined : this.visiblePresenceOf(peerId))));
    return events.filter((event) => event !== undefined);
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
    return user === undefined || user.lastSeen === 'nobody' ? undefined : await this.presenceOf(user);
  }

  /** Online while a device is online anywhere, or within the grace period of the last one to leave this node. */
  private async isOnline(userId: string): Promise<boolean> {
    return this.announcedOnline.has(userId) || (await this.context.bus.onlineDevices(userId)).size > 0;
  }

  private async presenceOf(user: User): Promise<PresenceEvent> {
    if (await this.isOnline(user.id)) return { type: 'presence', user: user.id, online: true };
    return { type: 'presence', user: user.id, online: false, ...(user.lastSeenAt === null ? {} : { lastSeen: user.lastSeenAt }) };
  }

  /**
   * The user's last device here left `graceMs` ago and none came back here. A
   * device online on another node now keeps the user online: that node
   * announces them offline when its own last device leaves.
   */
  private graceEnded(userId: string, leftAt: number): void {
    this.goingOffline.delete(userId);
    this.announcedOnline.delete(userId);
    this.decide(async () => {
      const devices = await this.context.bus.onlineDevices(userId);
      if (devices.size > 0 || this.announcedOnline.has(userId)) return;
      this.context.store.setLastSeenAt(userId, leftAt).catch(this.onError);
      await this.announce(userId, { type: 'presence', user: userId, online: false, lastSeen: leftAt });
    });
  }

  private decide(decision: () => Promise<void>): void {
    const deciding = decision().catch(this.onError);
    this.deciding.add(deciding);
    void deciding.finally(() => this.deciding.delete(deciding));
  }

  private async announce(userId: string, event: PresenceEvent): Promise<void> {
    const user = await this.context.store.getUser(userId);
    if (user === undefined || user.lastSeen === 'nobody') return;
    const frame = JSON.stringify(event);
    const blocked = new Set(await this.context.store.listBlockRelations(userId));
    for (const peerId of await this.context.store.listDirectPeers(userId)) {
      if (!blocked.has(peerId)) this.context.bus.publish(peerId, { kind: 'ephemeral', frame });
    }
  }
}
