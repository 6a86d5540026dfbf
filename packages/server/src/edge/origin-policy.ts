import type { IncomingMessage } from 'node:http';

/**
 * Which browser origins may talk to the server. A request without `Origin`
 * does not come from a browser page and is not subject to it. With no list,
 * only the server's own origin (scheme and Host of the request) is allowed, so
 * a page elsewhere cannot ride a user's session (cross-site WebSocket hijacking).
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;
  private readonly allowsAny: boolean;

  constructor(
    allowedOrigins: string[],
    private readonly secure: boolean,
  ) {
    this.allowsAny = allowedOrigins.includes('*');
    this.allowed = new Set(allowedOrigins.filter((origin) => origin !== '*').map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  }

  allows(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    if (this.allowsAny) return true;
    const normalised = origin.toLowerCase();
    if (this.allowed.has(normalised)) return true;
    const host = request.headers.host?.toLowerCase();
    return host !== undefined && normalised === `${this.secure ? 'https' : 'http'}://${host}`;
  }
}
