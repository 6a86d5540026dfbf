import { useChatStore, useTopic } from '../session/use-topic.js';

const texts = {
  offline: 'Offline: messages you write are kept and sent when the connection is back',
  connecting: 'Connecting…',
  'up-to-date': 'Up to date',
  'logged-out': 'Logged out',
  revoked: 'This device was logged out',
} as const;

/** Says whether what is on screen is current; a live region, so a screen reader hears the change. */
export function ConnectionBanner() {
  const store = useChatStore();
  useTopic(store, 'connection');
  const connectivity = store.connectivity;
  return (
    <p className={`banner banner-${connectivity}`} role="status" aria-live="polite">
      {texts[connectivity]}
    </p>
  );
}
