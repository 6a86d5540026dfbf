import { useEffect } from 'react';
import type { ChatStore } from '../session/chat-store.js';

/**
 * Shows a system notification for a message from someone else while the tab
 * is hidden (or another chat is open), unless the conversation is muted or
 * permission was not given.
 */
export function useNotifications(store: ChatStore, open: string | undefined): void {
  useEffect(() => {
    store.onIncoming = (message) => {
      if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
      if (store.isMuted(message.conversation) || message.source !== 'stream') return;
      if (document.visibilityState === 'visible' && message.conversation === open) return;
      void store.people.displayNameOf(message.sender).then(
        (sender) => {
          const chat = store.list.get(message.conversation);
          const title = chat?.type === 'group' ? `${sender} in ${chat.name}` : sender;
          const notification = new Notification(title, { body: message.body.text, tag: message.conversation, icon: '/icon.svg' });
          notification.onclick = () => {
            window.focus();
            notification.close();
          };
        },
        // Without the sender's name there is nothing worth showing; the chat list still counts the message.
        () => undefined,
      );
    };
    return () => {
      store.onIncoming = undefined;
    };
  }, [store, open]);
}
