/**
 * What the store and the push parts speak about push notifications. Wire
 * shapes live in `@parley/protocol`; these are the domain's.
 */
export type PushProviderName = 'fcm' | 'apns' | 'webpush' | 'webhook';

/** Where a device is woken, per provider. */
export type PushTarget =
  | { provider: 'fcm'; token: string }
  | { provider: 'apns'; token: string; topic: string; environment: 'production' | 'sandbox' }
  | { provider: 'webpush'; endpoint: string; keys: { p256dh: string; auth: string } }
  | { provider: 'webhook'; url: string };

export interface PushRegistration {
  deviceId: string;
  userId: string;
  target: PushTarget;
  createdAt: number;
}

/**
 * A due push job as the dispatcher claims it: the messages of one
 * conversation a device has not been notified of, and what is needed to
 * decide whether to send and where.
 */
export interface ClaimedPushJob {
  deviceId: string;
  userId: string;
  conversationId: string;
  /** The oldest and the newest seq the job covers. */
  firstSeq: number;
  lastSeq: number;
  /** How many messages it covers: one notification says "count new messages". */
  count: number;
  /** The pos of the newest message in the user's stream: a device that acked it got everything live. */
  lastPos: number;
  /** Attempts so far, this one included. */
  attempts: number;
  target: PushTarget;
  deviceAckedPos: number;
  /** The member's mute at claim time; null when not muted. */
  mutedUntil: number | null;
}

/** The token, endpoint or URL a target is reached at: one device per address. */
export function addressOf(target: PushTarget): string {
  switch (target.provider) {
    case 'fcm':
    case 'apns':
      return target.token;
    case 'webpush':
      return target.endpoint;
    case 'webhook':
      return target.url;
  }
}
