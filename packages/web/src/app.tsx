import { useEffect, useState } from 'react';
import type { SessionView } from '@parley/client';
import { LoginScreen } from './account/login-screen.js';
import { Home } from './home.js';
import type { ChatStore } from './session/chat-store.js';
import { closeSession, openSession, shutSession } from './session/open-session.js';
import { forgetLogin, loadLogin, saveLogin, type SavedLogin } from './session/saved-login.js';
import { ChatStoreContext } from './session/use-topic.js';

/** Logged out: the login screen. Logged in: the session's store, opened from this device's saved login. */
export function App() {
  const [login, setLogin] = useState<SavedLogin | undefined>(() => loadLogin());
  const [store, setStore] = useState<ChatStore>();
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    if (login === undefined) return;
    let current = true;
    let opened: ChatStore | undefined;
    openSession(login).then(
      (session) => {
        opened = session;
        if (current) setStore(session);
        else void shutSession(session).catch(reportShutFailure);
      },
      (error: unknown) => setNotice(`This browser could not open its storage: ${String(error)}`),
    );
    return () => {
      current = false;
      if (opened !== undefined) void shutSession(opened).catch(reportShutFailure);
    };
  }, [login]);

  useEffect(() => {
    if (store === undefined) return;
    return store.topics.subscribe('connection', () => {
      const connectivity = store.connectivity;
      if (connectivity === 'revoked' || connectivity === 'logged-out') {
        void endSession(connectivity === 'revoked' ? 'This device was logged out from another device.' : 'Your login has expired. Log in again.');
      }
    });
  });

  async function endSession(reason?: string) {
    // The token is void either way: forget the login even if the local data could not be removed.
    if (store !== undefined) await closeSession(store).catch(reportShutFailure);
    forgetLogin();
    setStore(undefined);
    setLogin(undefined);
    setNotice(reason);
  }

  if (login === undefined) {
    return (
      <LoginScreen
        {...(notice === undefined ? {} : { notice })}
        onSession={(session: SessionView) => {
          setNotice(undefined);
          setLogin(saveLogin(session));
        }}
      />
    );
  }
  if (store === undefined) {
    return (
      <main className="loading" aria-busy="true">
        <p>{notice ?? 'Opening Parley…'}</p>
      </main>
    );
  }
  return (
    <ChatStoreContext.Provider value={store}>
      <Home
        onLogOut={async () => {
          store.stop();
          // Revoking this device on the server first: a token left valid would outlive the log-out.
          await store.client.api.logout();
          await endSession();
        }}
      />
    </ChatStoreContext.Provider>
  );
}

/**
 * A session's last save failed as it closed. Nothing is lost by it: the SDK
 * acks only what it saved, so the server replays the rest to the next session.
 */
function reportShutFailure(error: unknown): void {
  console.warn('Parley: closing the session did not save its last state', error);
}
