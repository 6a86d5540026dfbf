import { z } from 'zod';
import { counterSchema, serverIdSchema } from './ids.js';
import type { MessageBody } from './frames.js';
import type { ConversationKind } from './server-frames.js';

// ---- requests (protocol §6) ----

/** Usernames are compared in lower case; letters, digits, `.`, `_`, `-`. */
export const usernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, ".", "_" and "-" only')
  .transform((name) => name.toLowerCase());

/** OWASP's minimum length; an upper bound keeps hashing cost bounded. */
export const passwordSchema = z.string().min(8).max(256);

export const displayNameSchema = z.string().trim().min(1).max(64);

/**
 * An invite code as shown to people (`ABCD-EFGH-JKMN-PQRS`, Crockford
 * base32): read like a link code, dashes, spaces and case ignored.
 */
export const inviteCodeSchema = z
  .string()
  .max(64)
  .transform((code) => code.replace(/[\s-]/g, '').toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0'))
  .pipe(z.string().regex(/^[0-9A-Z]{8,32}$/, 'is not an invite code'));

export const registerRequestSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema.optional(),
  /** Needed when the server admits new accounts by invite (`--registration invite`); ignored otherwise. */
  inviteCode: inviteCodeSchema.optional(),
});

const deviceNameSchema = z.string().trim().min(1).max(64);

/**
 * A link code as shown to people (Crockford base32): dashes and spaces are
 * ignored, case too, and I, L and O read as 1, 1 and 0.
 */
export const linkCodeSchema = z
  .string()
  .max(32)
  .transform((code) => code.replace(/[\s-]/g, '').toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0'))
  .pipe(z.string().regex(/^[0-9A-Z]{8,16}$/, 'is not a link code'));

/** Log in with a password, or link a new device with a code made by a logged-in one. */
export const loginRequestSchema = z.union([
  z.object({ username: usernameSchema, password: passwordSchema, deviceName: deviceNameSchema.optional() }),
  z.object({ linkCode: linkCodeSchema, deviceName: deviceNameSchema.optional() }),
]);

export const lastSeenSettingSchema = z.enum(['everyone', 'nobody']);

export const updateMeRequestSchema = z
  .object({
    displayName: displayNameSchema.optional(),
    lastSeen: lastSeenSettingSchema.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'names nothing to change');

export const changePasswordRequestSchema = z.object({ currentPassword: passwordSchema, newPassword: passwordSchema });

export const userSearchQuerySchema = z.object({ query: z.string().trim().min(1).max(64) });

export const createConversationRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('direct'), peer: serverIdSchema }),
  z.object({
    type: z.literal('group'),
    name: z.string().trim().min(1).max(128),
    members: z.array(serverIdSchema).min(1).max(4096),
  }),
]);

export const addMembersRequestSchema = z.object({ members: z.array(serverIdSchema).min(1).max(1024) });

export const updateConversationRequestSchema = z.object({ name: z.string().trim().min(1).max(128) });

const queryCounter = z.coerce.number().pipe(counterSchema);

export const historyQuerySchema = z
  .object({
    before: queryCounter.optional(),
    after: queryCounter.optional(),
    limit: z.coerce.number().pipe(z.number().int().min(1)).optional(),
  })
  .refine((query) => query.before === undefined || query.after === undefined, 'use before or after, not both');

export type RegisterRequest = z.input<typeof registerRequestSchema>;
export type LoginRequest = z.input<typeof loginRequestSchema>;
export type UpdateMeRequest = z.input<typeof updateMeRequestSchema>;
export type ChangePasswordRequest = z.input<typeof changePasswordRequestSchema>;
export type CreateConversationRequest = z.input<typeof createConversationRequestSchema>;
export type HistoryQuery = z.infer<typeof historyQuerySchema>;
export type AddMembersRequest = z.input<typeof addMembersRequestSchema>;
export type UpdateConversationRequest = z.input<typeof updateConversationRequestSchema>;
export type LastSeenSetting = z.infer<typeof lastSeenSettingSchema>;

// ---- responses ----

export interface UserView {
  id: string;
  username: string;
  displayName: string;
}

export interface MeView extends UserView {
  createdAt: number;
  lastSeen: LastSeenSetting;
}

export interface SessionView {
  token: string;
  user: UserView;
  device: DeviceView;
}

export interface LinkCodeView {
  /** Shown as text (grouped with dashes) and usable as a QR payload. */
  code: string;
  expiresAt: number;
}

export interface DeviceView {
  id: string;
  name: string;
  createdAt: number;
  lastActiveAt: number;
  /** True for the device making the call. */
  current: boolean;
  /** True while the device has an open WebSocket on this server. */
  online: boolean;
}

export interface MemberView {
  user: string;
  role: 'admin' | 'member';
  deliveredSeq: number;
  readSeq: number;
}

export interface ConversationSummaryView {
  id: string;
  type: ConversationKind;
  /** The group's name; for a direct conversation, the peer's display name. */
  name: string;
  /** The other member of a direct conversation. */
  peer?: string;
  lastSeq: number;
  readSeq: number;
  unread: number;
  lastMessageAt?: number;
  /** While the user has muted the conversation (`PUT /v1/conversations/:id/mute`): when the mute ends, ms since the epoch. */
  mutedUntil?: number;
}

export interface ConversationView {
  id: string;
  type: ConversationKind;
  name: string;
  createdAt: number;
  lastSeq: number;
  members: MemberView[];
}

export interface MessageView {
  conversation: string;
  seq: number;
  id: string;
  sender: string;
  device: string;
  at: number;
  body: MessageBody;
  /**
   * Extension: true when the server cannot read the stored message (its
   * body failed to decrypt). `body` is then `{"text":""}`: a placeholder that
   * keeps the seq, sender and time, so the conversation has no silent gap.
   */
  unreadable?: true;
}

export interface MessagePage {
  messages: MessageView[];
}

/** One recipient of a message and how far it got with them (`GET /v1/conversations/:id/messages/:seq/receipts`). */
export interface RecipientReceiptView {
  user: string;
  delivered: boolean;
  read: boolean;
}

/** Who could see a message (joined before it, not removed before it), its sender left out, and what each has done with it. */
export interface MessageReceiptsView {
  conversation: string;
  seq: number;
  members: RecipientReceiptView[];
}

// ---- push notifications (extension E4) ----

export const pushProviderNames = ['fcm', 'apns', 'webpush', 'webhook'] as const;
export type PushProviderName = (typeof pushProviderNames)[number];

/** A URL a user supplies for the server to call; the server also refuses private addresses. */
const endpointUrlSchema = z
  .string()
  .max(2048)
  .url()
  .refine((url) => /^https?:\/\//i.test(url), 'must be an http(s) URL');

/** base64url, with or without padding, as browsers print `PushSubscription.toJSON().keys`. */
const base64UrlSchema = (minLength: number, maxLength: number) =>
  z
    .string()
    .min(minLength)
    .max(maxLength)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/**
 * `PUT /v1/devices/current/push`: where to wake this device when it has no
 * open socket. FCM and APNs tokens come from the platform SDKs; `webpush` is a
 * browser's `PushSubscription.toJSON()`; `webhook` is any HTTPS endpoint (a
 * UnifiedPush distributor, a home automation hook).
 */
export const pushRegistrationRequestSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('fcm'), token: z.string().min(1).max(4096).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII') }),
  z.object({
    provider: z.literal('apns'),
    // 32 bytes in hex today; Apple says the length may change, so up to 100 bytes.
    token: z
      .string()
      .regex(/^[0-9A-Fa-f]{64,200}$/, 'must be the device token in hex')
      .transform((token) => token.toLowerCase()),
    // The app's bundle id, with a suffix such as `.voip` where Apple asks for one.
    topic: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[A-Za-z0-9.-]+$/, 'must be a bundle id'),
    environment: z.enum(['production', 'sandbox']),
  }),
  z.object({
    provider: z.literal('webpush'),
    endpoint: endpointUrlSchema,
    // A P-256 public key (65 bytes) and a 16-byte secret, base64url.
    keys: z.object({ p256dh: base64UrlSchema(86, 90), auth: base64UrlSchema(22, 24) }),
  }),
  z.object({ provider: z.literal('webhook'), url: endpointUrlSchema }),
]);

/** `PUT /v1/conversations/:id/mute`: no pushes for the conversation until `until` (ms since the epoch); null unmutes. */
export const muteRequestSchema = z.object({ until: counterSchema.nullable() });

export type PushRegistrationRequest = z.input<typeof pushRegistrationRequestSchema>;
export type PushRegistrationView = z.output<typeof pushRegistrationRequestSchema>;
export type MuteRequest = z.input<typeof muteRequestSchema>;

/** `GET /v1/push`: what this server can push with. */
export interface PushProvidersView {
  providers: PushProviderName[];
  /** The VAPID public key (base64url) for `PushManager.subscribe({applicationServerKey})`, when Web Push is on. */
  vapidPublicKey?: string;
}
