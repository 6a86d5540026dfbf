import { useState } from 'react';
import { useChatStore } from '../session/use-topic.js';
import { errorText } from '../ui/error-text.js';
import { registerWebPush } from './web-push.js';

/** Asks for notification permission, then registers for Web Push when the server offers it. */
export function NotificationSettings() {
  const store = useChatStore();
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied');
  const [status, setStatus] = useState<string>();

  async function enable() {
    const answer = await Notification.requestPermission();
    setPermission(answer);
    if (answer !== 'granted') return;
    try {
      const push = await registerWebPush(store.client.api);
      setStatus(push ? 'Notifications are on, also while Parley is closed.' : 'Notifications are on while Parley is open.');
    } catch (failure) {
      setStatus(`Notifications are on while Parley is open; push could not be set up: ${errorText(failure)}`);
    }
  }

  return (
    <section aria-label="Notifications">
      <h3>Notifications</h3>
      {!supported ? (
        <p className="muted">This browser cannot show notifications.</p>
      ) : permission === 'granted' ? (
        <p>{status ?? 'Notifications are on.'}</p>
      ) : permission === 'denied' ? (
        <p className="muted">Notifications are blocked in this browser’s site settings.</p>
      ) : (
        <button type="button" onClick={() => void enable()}>
          Turn on notifications
        </button>
      )}
    </section>
  );
}
