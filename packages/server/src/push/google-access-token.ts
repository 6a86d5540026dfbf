import type { Clock } from '../clock/clock.js';
import { httpPost } from './http-post.js';
import { signJwt } from './jwt.js';
import type { ServiceAccount } from './service-account.js';

export const firebaseMessagingScope = 'https://www.googleapis.com/auth/firebase.messaging';
/** Google caps an assertion's life at one hour. */
const assertionLifetimeSeconds = 3600;
/** A token is renewed this long before Google says it expires, so none expires in flight. */
const renewBeforeExpiryMs = 5 * 60 * 1000;

/** The token exchange failed; FCM sends are retried (the account may be fixed, Google may recover). */
export class AccessTokenError extends Error {
  override readonly name = 'AccessTokenError';
}

/**
 * An OAuth2 access token for FCM from a service account, by the JWT bearer
 * flow (RFC 7523): an RS256 assertion signed with the account's key is
 * exchanged at its token URI. The token is cached until shortly before it
 * expires; concurrent callers share one exchange.
 */
export class GoogleAccessToken {
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly account: ServiceAccount,
    private readonly clock: Clock,
    private readonly requestTimeoutMs: number,
  ) {}

  get(): Promise<string> {
    if (this.cached !== undefined && this.clock.now() < this.cached.renewAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.exchange().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets the token (FCM answered 401 with it). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async exchange(): Promise<string> {
    const { account, clock } = this;
    const issuedAt = Math.floor(clock.now() / 1000);
    const assertion = signJwt(
      'RS256',
      { kid: account.privateKeyId },
      { iss: account.clientEmail, scope: firebaseMessagingScope, aud: account.tokenUri, iat: issuedAt, exp: issuedAt + assertionLifetimeSeconds },
      account.privateKey,
    );
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    let response;
    try {
      response = await httpPost({
        url: new URL(account.tokenUri),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        timeoutMs: this.requestTimeoutMs,
      });
    } catch (error) {
      throw new AccessTokenError(`token request failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status !== 200) {
      throw new AccessTokenError(`token endpoint answered ${response.status}: ${response.body.slice(0, 200)}`);
    }
    const answer = parseTokenAnswer(response.body);
    if (answer === undefined) throw new AccessTokenError('token endpoint answered without access_token and expires_in');
    const expiresAt = clock.now() + answer.expires_in * 1000;
    this.cached = { token: answer.access_token, renewAt: Math.max(clock.now(), expiresAt - renewBeforeExpiryMs) };
    return answer.access_token;
  }
}

function parseTokenAnswer(body: string): { access_token: string; expires_in: number } | undefined {
  try {
    const answer = JSON.parse(body) as { access_token?: unknown; expires_in?: unknown };
    if (typeof answer.access_token === 'string' && typeof answer.expires_in === 'number') {
      return { access_token: answer.access_token, expires_in: answer.expires_in };
    }
  } catch {
    // Not JSON: treated like JSON without the fields.
  }
  return undefined;
}
