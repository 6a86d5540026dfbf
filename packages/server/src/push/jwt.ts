import { sign, type KeyObject } from 'node:crypto';

/** The two algorithms push services ask for: Google's service accounts (RS256), APNs and VAPID (ES256). */
export type JwtAlgorithm = 'RS256' | 'ES256';

const base64UrlJson = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A compact JWS (RFC 7515) signed with node:crypto. ES256 signatures are the
 * raw 64-byte r‖s that JWS requires, not the DER that `sign` gives by default.
 */
export function signJwt(algorithm: JwtAlgorithm, header: Record<string, string>, claims: object, key: KeyObject): string {
  const signingInput = `${base64UrlJson({ alg: algorithm, typ: 'JWT', ...header })}.${base64UrlJson(claims)}`;
  const signature =
    algorithm === 'ES256'
      ? sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(signingInput), key);
  return `${signingInput}.${signature.toString('base64url')}`;
}
