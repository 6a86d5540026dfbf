/**
 * The Bus port: "wake the sessions of user U, on whatever node they are", and
 * ephemeral fan-out. Adapters: `MemoryBus` (embedded), `NatsBus` (cluster).
 *
 * Guarantees: none beyond best effort. A notice may be dropped, repeated or
 * arrive late; nothing durable lives only here. A session that misses a stream
 * notice catches up from the store when it next sees a pos gap, reconnects, or
 * is told `catch_up`: an adapter that may have lost notices (its link to the
 * other nodes broke or went quiet) says so, so a lost wake-up never means a
 * message that waits for the next one.
 */

/** One stream entry already serialised for the wire, as sessions send it. */
export interface WireEntry {
  pos: number;
  frame: string;
  /** The sender, for a message event: acking another's message makes a receipt. */
  sender?: string;
}

export type UserNotice =
  /** New entries in the user's stream, in pos order. */
  | { kind: 'stream'; entries: WireEntry[] }
  /** The device was revoked: its sessions close with 4403. */
  | { kind: 'device_revoked'; deviceId: string }
  /**
   * A frame for the user's online devices that is never stored (typing,
   * presence). With `receiptsOf`, only the connections watching that
   * conversation's receipts (`watch_receipts`) send it; the others drop it.
   */
  | { kind: 'ephemeral'; frame: string; receiptsOf?: string };

/**
 * From the adapter itself, never published: notices for this user may have
 * been lost, so each session reads the store after the last pos it sent.
 * Sent to every listener at once, and again (each second, say) while the
 * adapter cannot trust its delivery; `MemoryBus` never sends it.
 */
export interface CatchUpNotice {
  kind: 'catch_up';
}

/** What a listener hears: the notices published for its user, and the adapter's own `catch_up`. */
export type HeardNotice = UserNotice | CatchUpNotice;

export type NoticeListener = (notice: HeardNotice) => void;

export interface Bus {
  publish(userId: string, notice: UserNotice): void;
  /** Listens to one user's notices until the returned function is called. */
  subscribe(userId: string, listener: NoticeListener): () => void;
  /**
   * Declares that this node holds a live session of the device, until the
   * returned function is called. Marks nest: a device with two sessions here
   * stays online until both are released.
   */
  markDeviceOnline(userId: string, deviceId: string): () => void;
  /**
   * The user's devices that some node holds a live session of: the one record
   * of who is online, read by push (online devices get none), the device list
   * and presence. Answered by the nodes that hold them (cluster adapters ask
   * the user's nodes and wait a bounded time). An answer that is lost leaves
   * devices out: callers must treat a device left out as "probably offline"
   * (a needless push notification, a late presence change), never rely on it
   * for data.
   */
  onlineDevices(userId: string): Promise<ReadonlySet<string>>;
  close(): Promise<void>;
}
