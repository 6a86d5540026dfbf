import type { SessionView } from '@parley/client';

/** What a reload needs to resume a login: the device token and who it belongs to. */
export interface SavedLogin {
  token: string;
  userId: string;
  deviceId: string;
  username: string;
  displayName: string;
}

const key = 'parley.login';

export function loadLogin(): SavedLogin | undefined {
  const text = localStorage.getItem(key);
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<SavedLogin>;
    const fields = [value.token, value.userId, value.deviceId, value.username, value.displayName];
    return fields.every((field) => typeof field === 'string') ? (value as SavedLogin) : undefined;
  } catch {
    // A value this app did not write: start logged out rather than fail to start.
    return undefined;
  }
}

export function saveLogin(session: SessionView): SavedLogin {
  const login: SavedLogin = {
    token: session.token,
    userId: session.user.id,
    deviceId: session.device.id,
    username: session.user.username,
    displayName: session.user.displayName,
  };
  localStorage.setItem(key, JSON.stringify(login));
  return login;
}

export function forgetLogin(): void {
  localStorage.removeItem(key);
}

/** One IndexedDB database per device: a second account in the same browser never reads this one's cursor. */
export function databaseNameOf(login: SavedLogin): string {
  return `parley-${login.deviceId}`;
}
