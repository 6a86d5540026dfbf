import type { ParleyApi } from '@parley/client';

/**
 * Registers this browser for Web Push when the server has VAPID keys: the
 * service worker shows a notification while no tab is open. Returns false
 * when the server or the browser cannot do Web Push.
 */
export async function registerWebPush(api: ParleyApi): Promise<boolean> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return false;
  const { vapidPublicKey } = await api.pushProviders();
  if (vapidPublicKey === undefined) return false;
  const registration = await navigator.serviceWorker.register('/sw.js');
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlBytes(vapidPublicKey) }));
  const json = subscription.toJSON();
  const { p256dh, auth } = json.keys ?? {};
  if (json.endpoint === undefined || p256dh === undefined || auth === undefined) return false;
  await api.registerPush({ provider: 'webpush', endpoint: json.endpoint, keys: { p256dh, auth } });
  return true;
}

function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
}
