import { useCallback, useEffect, useState } from 'react';
import type { DeviceView } from '@parley/client';
import { useChatStore } from '../session/use-topic.js';
import { Dialog } from '../ui/dialog.js';
import { errorText } from '../ui/error-text.js';
import { shortWhen } from '../ui/format-time.js';
import { LinkDevice } from './link-device.js';

/** The account's devices with their last activity; revoke one, or link a new one with a code. */
export function DevicesDialog({ onClose }: { onClose: () => void }) {
  const store = useChatStore();
  const [devices, setDevices] = useState<DeviceView[]>();
  const [error, setError] = useState<string>();
  const reload = useCallback(() => {
    store.client.api.devices().then(setDevices, (failure: unknown) => setError(errorText(failure)));
  }, [store]);
  useEffect(reload, [reload]);

  return (
    <Dialog title="Devices" onClose={onClose}>
      {devices === undefined ? (
        <p>Loading…</p>
      ) : (
        <ul className="device-list" aria-label="Your devices">
          {devices.map((device) => (
            <li key={device.id}>
              <span>
                <strong>{device.name}</strong>
                {device.current && <span className="muted"> · this device</span>}
                <br />
                <span className="muted">{device.online ? 'online now' : `last active ${shortWhen(device.lastActiveAt)}`}</span>
              </span>
              {!device.current && (
                <button
                  type="button"
                  className="danger"
                  onClick={() => store.client.api.revokeDevice(device.id).then(reload, (failure: unknown) => setError(errorText(failure)))}
                >
                  Revoke {device.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {error !== undefined && <p className="error" role="alert">{error}</p>}
      <LinkDevice onLinked={reload} />
    </Dialog>
  );
}
