import { useEffect, useState } from 'react';
import type { LinkCodeView } from '@parley/client';
import { useChatStore } from '../session/use-topic.js';
import { errorText } from '../ui/error-text.js';

/** Time between checks of the device list while a link code is shown, so the new device appears by itself. */
const linkedPollMs = 2_000;

/** Makes a single-use link code, shown as text and as a QR code, for another device's "Link this device". */
export function LinkDevice({ onLinked }: { onLinked: () => void }) {
  const store = useChatStore();
  const [code, setCode] = useState<LinkCodeView>();
  const [qr, setQr] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (code === undefined) return;
    let current = true;
    // The QR library is loaded only when a code is made: it is not part of the first load.
    void import('qrcode').then(async (qrcode) => {
      const url = await qrcode.toDataURL(code.code, { margin: 1, width: 200 });
      if (current) setQr(url);
    });
    const poll = setInterval(onLinked, linkedPollMs);
    const expiry = setTimeout(() => setCode(undefined), Math.max(0, code.expiresAt - Date.now()));
    return () => {
      current = false;
      clearInterval(poll);
      clearTimeout(expiry);
    };
  }, [code, onLinked]);

  return (
    <section className="link-device" aria-label="Link a device">
      <h3>Link a device</h3>
      {code === undefined ? (
        <button
          type="button"
          onClick={() => {
            setError(undefined);
            store.client.api.createLinkCode().then(setCode, (failure: unknown) => setError(errorText(failure)));
          }}
        >
          Link a device
        </button>
      ) : (
        <>
          <p>
            On the new device, open Parley, choose “Link this device” and enter this code within a minute:
          </p>
          <p>
            <span className="visually-hidden">Link code: </span>
            <strong className="link-code">{formatCode(code.code)}</strong>
          </p>
          {qr !== undefined && <img className="link-qr" src={qr} width={200} height={200} alt={`QR code of the link code ${formatCode(code.code)}`} />}
        </>
      )}
      {error !== undefined && <p className="error" role="alert">{error}</p>}
    </section>
  );
}

function formatCode(code: string): string {
  const plain = code.replace(/[-\s]/g, '');
  return plain.length === 10 ? `${plain.slice(0, 5)}-${plain.slice(5)}` : code;
}
