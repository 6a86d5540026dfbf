import { verify, type KeyObject } from 'node:crypto';

export interface JwtParts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/**
 * Checks a compact JWS the way the services do: the algorithm named in the
 * header is the one expected, and the signature verifies with the key
 * (ES256 as raw r‖s, RS256 as PKCS#1 v1.5). Throws with the reason otherwise.
 */
export function verifyJwt(token: string, algorithm: 'ES256' | 'RS256', key: KeyObject): JwtParts {
  const [headerText, claimsText, signatureText, extra] = token.split('.');
  if (headerText === undefined || claimsText === undefined || signatureText === undefined || extra !== undefined) {
    throw new Error('not a compact JWS');
  }
  const header = JSON.parse(Buffer.from(headerText, 'base64url').toString('utf8')) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(claimsText, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (header.alg !== algorithm) throw new Error(`alg is ${String(header.alg)}, not ${algorithm}`);
  const signature = Buffer.from(signatureText, 'base64url');
  if (algorithm === 'ES256' && signature.length !== 64) throw new Error('an ES256 signature is 64 bytes (r‖s)');
  const input = Buffer.from(`${headerText}.${claimsText}`);
  const valid =
    algorithm === 'ES256'
      ? verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature)
      : verify('sha256', input, key, signature);
  if (!valid) throw new Error('bad signature');
  return { header, claims };
}

/**
 * The time a stand-in checks tokens against: the server's FakeClock in the
 * tests, as a real service would use its own clock, which the server's agrees with.
 */
export type StandInClock = () => number;
