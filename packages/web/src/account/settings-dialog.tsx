import { useEffect, useState, type FormEvent } from 'react';
import type { MeView } from '@parley/client';
import { NotificationSettings } from '../notifications/notification-settings.js';
import { useChatStore } from '../session/use-topic.js';
import { Dialog } from '../ui/dialog.js';
import { errorText } from '../ui/error-text.js';

interface SettingsDialogProps {
  onClose: () => void;
  onLogOut: () => Promise<void>;
}

/** Profile (display name, last-seen privacy), password, notifications and log-out. */
export function SettingsDialog({ onClose, onLogOut }: SettingsDialogProps) {
  const store = useChatStore();
  const [me, setMe] = useState<MeView>();
  const [displayName, setDisplayName] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    store.client.api.me().then(
      (view) => {
        setMe(view);
        setDisplayName(view.displayName);
      },
      (failure: unknown) => setError(errorText(failure)),
    );
  }, [store]);

  async function run(action: () => Promise<void>, done: string) {
    setError(undefined);
    setMessage(undefined);
    try {
      await action();
      setMessage(done);
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  function saveProfile(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const view = await store.client.api.updateMe({ displayName: displayName.trim() });
      setMe(view);
      store.people.remember(view);
    }, 'Display name saved.');
  }

  function changePassword(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await store.client.api.changePassword(currentPassword, newPassword);
      setCurrentPassword('');
      setNewPassword('');
    }, 'Password changed. Your other devices were logged out.');
  }

  return (
    <Dialog title="Settings" onClose={onClose}>
      <form onSubmit={saveProfile}>
        <h3>Profile</h3>
        <label htmlFor="settings-display-name">Display name</label>
        {/* Editable once the profile has loaded, so its arrival never overwrites what was typed. */}
        <input
          id="settings-display-name"
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          disabled={me === undefined}
          required
        />
        <button type="submit" disabled={me === undefined}>
          Save display name
        </button>
      </form>
      {me !== undefined && (
        <fieldset>
          <legend>Who sees when you were last online</legend>
          {(['everyone', 'nobody'] as const).map((choice) => (
            <label key={choice} className="radio">
              <input
                type="radio"
                name="last-seen"
                checked={me.lastSeen === choice}
                onChange={() => {
                  // Shown at once; put back if the server refuses.
                  setMe({ ...me, lastSeen: choice });
                  void run(async () => {
                    try {
                      setMe(await store.client.api.updateMe({ lastSeen: choice }));
                    } catch (failure) {
                      setMe(me);
                      throw failure;
                    }
                  }, 'Privacy saved.');
                }}
              />
              {choice === 'everyone' ? 'Everyone' : 'Nobody'}
            </label>
          ))}
        </fieldset>
      )}
      <form onSubmit={changePassword}>
        <h3>Password</h3>
        <label htmlFor="current-password">Current password</label>
        <input id="current-password" type="password" autoComplete="current-password" value={currentPassword} onChange={(event) => setCurrentPassword(event.target.value)} required />
        <label htmlFor="new-password">New password</label>
        <input id="new-password" type="password" autoComplete="new-password" minLength={8} value={newPassword} onChange={(event) => setNewPassword(event.target.value)} required />
        <button type="submit">Change password</button>
      </form>
      <NotificationSettings />
      {message !== undefined && <p role="status">{message}</p>}
      {error !== undefined && <p className="error" role="alert">{error}</p>}
      <button type="button" className="danger" onClick={() => void onLogOut()}>
        Log out
      </button>
    </Dialog>
  );
}
