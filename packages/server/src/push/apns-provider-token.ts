import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock/clock.js';
import { signJwt } from './jwt.js';

/**
 * APNs refuses a provider token older than 60 minutes (ExpiredProviderToken)
 * and one renewed more often than every 20 (TooManyProviderTokenUpdates);
 * 50 minutes sits inside that window with room for clock skew.
 */
export const apnsTokenRefreshMs = 50 * 60 * 1000;

/** The ES256 provider token for APNs token-based auth: `kid` is the key's id, `iss` the team id. */
export class ApnsProviderToken {
  private cached: { jwt: string; issuedAt: number } | undefined;

  constructor(
    private readonly key: KeyObject,
    private readonly keyId: string,
    private readonly teamId: string,
    private readonly clock: Clock,
  ) {}

  current(): string {
    const now = this.clock.now();
    if (this.cached === undefined || now - this.cached.issuedAt >= apnsTokenRefreshMs) {
      const jwt = signJwt('ES256', { kid: this.keyId }, { iss: this.teamId, iat: Math.floor(now / 1000) }, this.key);
      this.cached = { jwt, issuedAt: now };
    }
    return this.cached.jwt;
  }

  /** APNs said the token expired or is invalid: the next call signs a new one. */
  invalidate(): void {
    this.cached = undefined;
  }
}
