import { useState, type FormEvent } from 'react';
import { ParleyApi, type SessionView } from '@parley/client';
import { deviceNameOf } from '../session/device-name.js';
import { errorText } from '../ui/error-text.js';

type Mode = 'login' | 'register' | 'link';

interface LoginScreenProps {
  onSession: (session: SessionView) => void;
  /** Why the person is here again, e.g. the device was revoked. */
  notice?: string;
}

/** Log in, register, or link this browser to an account with a code from another device. */
export function LoginScreen({ onSession, notice }: LoginScreenProps) {
  const [mode, setMode] = useState<Mode>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [linkCode, setLinkCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const api = new ParleyApi({ baseUrl: location.origin });
    const deviceName = deviceNameOf(navigator.userAgent);
    try {
      if (mode === 'register') {
        await api.register({ username, password, ...(displayName.trim() === '' ? {} : { displayName: displayName.trim() }) });
      }
      const session =
        mode === 'link' ? await api.login({ linkCode, deviceName }) : await api.login({ username, password, deviceName });
      onSession(session);
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  }

  const tabs: Record<Mode, string> = { login: 'Log in', register: 'Register', link: 'Link this device' };
  const titles: Record<Mode, string> = { login: 'Log in', register: 'Create account', link: 'Link device' };
  return (
    <main className="login">
      <div className="login-card">
        <h1>Parley</h1>
        {notice !== undefined && <p className="notice" role="status">{notice}</p>}
        <div className="login-modes" role="tablist" aria-label="How to start">
          {(Object.keys(tabs) as Mode[]).map((each) => (
            <button key={each} id={`tab-${each}`} type="button" role="tab" aria-selected={mode === each} aria-controls="login-form" onClick={() => setMode(each)}>
              {tabs[each]}
            </button>
          ))}
        </div>
        <div id="login-form" role="tabpanel" aria-labelledby={`tab-${mode}`}>
        <form onSubmit={(event) => void submit(event)}>
          {mode === 'link' ? (
            <>
              <p className="muted">On a device that is logged in, open Devices and choose “Link a device” to get a code.</p>
              <label htmlFor="link-code">Link code</label>
              <input id="link-code" value={linkCode} onChange={(event) => setLinkCode(event.target.value)} autoComplete="one-time-code" required />
            </>
          ) : (
            <>
              <label htmlFor="username">Username</label>
              <input id="username" value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="username" required />
              <label htmlFor="password">Password</label>
              <input
                id="password"
                type="password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
                required
              />
              {mode === 'register' && (
                <>
                  <label htmlFor="display-name">Display name</label>
                  <input id="display-name" value={displayName} onChange={(event) => setDisplayName(event.target.value)} autoComplete="name" />
                </>
              )}
            </>
          )}
          {error !== undefined && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {titles[mode]}
          </button>
        </form>
        </div>
      </div>
    </main>
  );
}
