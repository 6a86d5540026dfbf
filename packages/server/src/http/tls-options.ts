import { readFileSync } from 'node:fs';
import type { SecureContextOptions } from 'node:tls';

/**
 * TLS 1.2 at least; for 1.2, only forward-secret AEAD suites (Mozilla's
 * "intermediate" list). TLS 1.3 suites are all modern and left to Node.
 */
const tls12Ciphers = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export interface TlsFiles {
  certPath: string;
  keyPath: string;
}

/** Reads the PEM files; called at start and again on SIGHUP to pick up renewed certificates. */
export function readSecureContext(files: TlsFiles): SecureContextOptions {
  return {
    cert: readFileSync(files.certPath),
    key: readFileSync(files.keyPath),
    minVersion: 'TLSv1.2',
    ciphers: tls12Ciphers,
    honorCipherOrder: true,
  };
}
