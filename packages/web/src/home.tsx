import { useEffect, useState } from 'react';
import { SettingsDialog } from './account/settings-dialog.js';
import { ChatList } from './chat-list/chat-list.js';
import { NewChatDialog } from './chat-list/new-chat-dialog.js';
import { NewGroupDialog } from './chat-list/new-group-dialog.js';
import { ConversationView } from './conversation/conversation-view.js';
import { DevicesDialog } from './devices/devices-dialog.js';
import { useNotifications } from './notifications/use-notifications.js';
import { useChatStore, useTopic } from './session/use-topic.js';
import { ConnectionBanner } from './ui/connection-banner.js';

type Panel = 'settings' | 'devices' | 'new-chat' | 'new-group' | undefined;

interface HomeProps {
  onLogOut: () => Promise<void>;
}

/**
 * The signed-in screen: the chat list beside the open conversation. On a
 * phone-width screen they are two screens, the list until a chat is opened.
 */
export function Home({ onLogOut }: HomeProps) {
  const store = useChatStore();
  const [open, setOpen] = useState<string>();
  const [panel, setPanel] = useState<Panel>();
  useNotifications(store, open);
  useTopic(store, 'list');
  const unread = store.list.all.reduce((total, chat) => total + (store.isMuted(chat.id) ? 0 : chat.unread), 0);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
  }, [unread]);

  useEffect(() => {
    const update = () => {
      store.reading = open !== undefined && document.visibilityState === 'visible' ? open : undefined;
      if (store.reading !== undefined) store.markRead(store.reading);
    };
    update();
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, [store, open]);

  return (
    <main className={`home ${open === undefined ? 'showing-list' : 'showing-chat'}`}>
      {/* One level-one heading on every screen, the phone's chat screen included, where the list is hidden. */}
      <h1 className="visually-hidden">Parley</h1>
      <section className="sidebar" aria-label="Chats">
        <header className="sidebar-header">
          <h2 className="app-title">Chats</h2>
          <nav className="toolbar" aria-label="Menu">
            <button type="button" onClick={() => setPanel('new-chat')}>New chat</button>
            <button type="button" onClick={() => setPanel('new-group')}>New group</button>
            <button type="button" onClick={() => setPanel('devices')}>Devices</button>
            <button type="button" onClick={() => setPanel('settings')}>Settings</button>
          </nav>
        </header>
        <ConnectionBanner />
        <ChatList selected={open} onSelect={setOpen} />
      </section>
      <div className="chat-pane">
        {open === undefined ? (
          <div className="placeholder">
            <h2>Parley</h2>
            <p>Choose a chat, or start a new one. Messages you write offline are sent when the connection is back.</p>
          </div>
        ) : (
          <ConversationView key={open} conversation={open} onBack={() => setOpen(undefined)} onLeft={() => setOpen(undefined)} />
        )}
      </div>
      {panel === 'settings' && <SettingsDialog onClose={() => setPanel(undefined)} onLogOut={onLogOut} />}
      {panel === 'devices' && <DevicesDialog onClose={() => setPanel(undefined)} />}
      {panel === 'new-chat' && (
        <NewChatDialog
          onClose={() => setPanel(undefined)}
          onOpened={(id) => {
            setPanel(undefined);
            setOpen(id);
          }}
        />
      )}
      {panel === 'new-group' && (
        <NewGroupDialog
          onClose={() => setPanel(undefined)}
          onOpened={(id) => {
            setPanel(undefined);
            setOpen(id);
          }}
        />
      )}
    </main>
  );
}
