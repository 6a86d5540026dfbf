/**
 * The push settings, spread into the server's `configSchema` (so each has a
 * flag and a PARLEY_* variable like every other setting). A provider whose
 * credentials are missing is off, and registrations for it are refused.
 */
import { z } from 'zod';

const int = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);
const flag = (fallback: boolean) => z.union([z.boolean(), z.stringbool()]).default(fallback);
const text = () => z.string().min(1).optional();

export const pushConfigShape = {
  /** What a notification shows: `none` (a wake-up with ids and a count), `sender`, or `full` (the text). */
  pushPreview: z.enum(['none', 'sender', 'full']).default('none'),
  /** Lets webhook and Web Push endpoints be plain http and on private addresses (a home network). */
  pushAllowPrivate: flag(false),
  /** Messages to one device and conversation within this window make one notification. */
  pushCoalesceMs: int(0, 2_000),
  /** Attempts per notification on 5xx, 429 or network errors, the first included; then it is dropped. */
  pushAttemptsMax: int(1, 8),
  /** First retry after about this, doubling each time up to `pushRetryMaxMs` (unless `Retry-After` says otherwise). */
  pushRetryBaseMs: int(100, 1_000),
  pushRetryMaxMs: int(1_000, 15 * 60 * 1000),
  /** Notifications in flight at once. */
  pushConcurrency: int(1, 16),
  /** How often the push queue is polled for due notifications. */
  pushPollIntervalMs: int(10, 500),
  /** A push service silent this long fails the attempt (it is retried). */
  pushRequestTimeoutMs: int(100, 10_000),

  /** Google service-account key (JSON) of the Firebase project: turns FCM on. */
  fcmServiceAccountFile: text(),
  fcmBaseUrl: z.string().url().default('https://fcm.googleapis.com'),
  /** APNs token auth: the .p8 key file, its key id and the team id, all three to turn APNs on. */
  apnsKeyFile: text(),
  apnsKeyId: text(),
  apnsTeamId: text(),
  apnsProductionUrl: z.string().url().default('https://api.push.apple.com'),
  apnsSandboxUrl: z.string().url().default('https://api.sandbox.push.apple.com'),
  /** An extra CA certificate (PEM) trusted for APNs: a stand-in in tests, or a TLS-inspecting proxy. */
  apnsCaFile: text(),
  /** The VAPID key pair (base64url); without them one is made on first start and kept in the data dir. */
  vapidPublicKey: text(),
  vapidPrivateKey: text(),
  /** The contact push services see in the VAPID token: a `mailto:` or `https:` URL of the operator. */
  vapidSubject: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, 'must be a mailto: or https: URL')
    .default('mailto:parley@localhost'),
  /** Signs webhook deliveries (HMAC-SHA256); turns webhooks on. At least 16 characters. */
  webhookSecret: z.string().min(16).optional(),
};

/** The push settings alone, for code that needs only them. */
export const pushConfigSchema = z.object(pushConfigShape);
export type PushConfig = z.infer<typeof pushConfigSchema>;
