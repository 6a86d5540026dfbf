import type { Store } from '../chat/store-port.js';
import type { ClaimedPushJob } from '../chat/push-model.js';
import type { PushNotification } from './push-provider.js';

/** The reads a notification needs. */
export type NotificationStore = Pick<Store, 'countUnread' | 'readHistory' | 'getConversation' | 'getUser'>;

/** What a notification may show: nothing (a wake-up), who wrote, or what they wrote. */
export type PushPreview = 'none' | 'sender' | 'full';

/** A notification not delivered within a day is stale: the app will have synced by then or will on open. */
export const notificationTtlMs = 24 * 60 * 60 * 1000;
/** Text past this is cut: APNs refuses payloads over 4 KiB and a lock screen shows two lines. */
const previewCharactersMax = 200;

/**
 * The notification for a claimed job. With preview `none` no name or text
 * leaves the server: only ids, the count and the badge, and the app syncs
 * over its own connection. Reads the newest message only when the preview
 * shows something of it.
 */
export async function buildNotification(store: NotificationStore, job: ClaimedPushJob, preview: PushPreview, nowMs: number): Promise<PushNotification> {
  const notification: PushNotification = {
    id: `${job.deviceId}:${job.conversationId}:${job.lastSeq}`,
    userId: job.userId,
    deviceId: job.deviceId,
    conversationId: job.conversationId,
    count: job.count,
    newestSeq: job.lastSeq,
    collapseKey: job.conversationId,
    badge: await store.countUnread(job.userId),
    expiresAtSeconds: Math.floor((nowMs + notificationTtlMs) / 1000),
  };
  if (preview === 'none') return notification;
  const alert = await previewAlert(store, job, preview);
  return alert === undefined ? notification : { ...notification, alert };
}

async function previewAlert(store: NotificationStore, job: ClaimedPushJob, preview: 'sender' | 'full'): Promise<{ title: string; body: string } | undefined> {
  const visible = { from: job.lastSeq, to: job.lastSeq };
  const [newest] = await store.readHistory(job.conversationId, { after: job.lastSeq - 1, limit: 1 }, visible, job.userId);
  const conversation = await store.getConversation(job.conversationId);
  if (newest === undefined || conversation === undefined) return undefined;
  const sender = (await store.getUser(newest.senderId))?.displayName ?? 'Someone';
  const summary = job.count === 1 ? 'New message' : `${job.count} new messages`;
  const said = preview === 'full' ? (textOf(newest.bodyJson) ?? summary) : summary;
  if (conversation.kind === 'direct') return { title: sender, body: cut(said) };
  return { title: cut(conversation.name), body: cut(`${sender}: ${said}`) };
}

function textOf(bodyJson: string): string | undefined {
  const body = JSON.parse(bodyJson) as { text?: unknown };
  return typeof body.text === 'string' && body.text !== '' ? body.text : undefined;
}

/** Cuts by code points, so a surrogate pair is never split. */
function cut(text: string): string {
  const characters = [...text];
  return characters.length <= previewCharactersMax ? text : `${characters.slice(0, previewCharactersMax - 1).join('')}…`;
}
