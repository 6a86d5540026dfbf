// Parley's service worker: shows Web Push notifications while no tab of the app is open.
// A push is a hint ("conversation C has N new messages"); the app syncs the messages itself when opened.

self.addEventListener('push', (event) => {
  let payload = {};
  try {
    payload = event.data ? event.data.json() : {};
  } catch {
    payload = {};
  }
  const count = typeof payload.count === 'number' ? payload.count : 1;
  const title = typeof payload.title === 'string' ? payload.title : 'Parley';
  const body = typeof payload.body === 'string' ? payload.body : count === 1 ? 'New message' : `${count} new messages`;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      // A visible tab shows the message itself.
      if (windows.some((client) => client.visibilityState === 'visible')) return undefined;
      return self.registration.showNotification(title, {
        body,
        tag: typeof payload.conversation === 'string' ? payload.conversation : 'parley',
        icon: '/icon.svg',
        data: { conversation: payload.conversation },
      });
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows[0];
      return open ? open.focus() : self.clients.openWindow('/');
    }),
  );
});
