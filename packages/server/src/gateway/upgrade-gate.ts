import type { IncomingMessage } from 'node:http';
import type { Clock } from '../clock/clock.js';
import { clientAddress } from '../edge/client-address.js';
import type { OriginPolicy } from '../edge/origin-policy.js';
import { KeyedRateLimiter } from '../lib/keyed-rate-limiter.js';

export interface UpgradeGateOptions {
  origins: OriginPolicy;
  trustProxy: boolean;
  maxConnectionsPerIp: number;
  handshakesPerIpPerSecond: number;
  handshakeBurst: number;
}

const websocketPath = '/v1/ws';

/**
 * Which WebSocket handshakes are accepted, decided before the upgrade so a
 * refused one costs no WebSocket: the path, shutdown, the browser page's
 * origin, and per client address the open connections and the handshake rate.
 */
export class UpgradeGate {
  private readonly handshakeLimiter: KeyedRateLimiter;
  private readonly connectionsByAddress = new Map<string, number>();
  private open = true;

  constructor(
    clock: Clock,
    private readonly options: UpgradeGateOptions,
  ) {
    this.handshakeLimiter = new KeyedRateLimiter(clock, options.handshakesPerIpPerSecond, options.handshakeBurst);
  }

  get accepting(): boolean {
    return this.open;
  }

  /** Shutting down: every handshake from now on is refused with 503. */
  close(): void {
    this.open = false;
  }

  addressOf(request: IncomingMessage): string {
    return clientAddress(request, this.options.trustProxy);
  }

  /** Why an upgrade is refused, as an HTTP status line; undefined to accept it. */
  refusalOf(request: IncomingMessage): string | undefined {
    const path = (request.url ?? '').split('?')[0];
    if (path !== websocketPath) return '404 Not Found';
    if (!this.open) return '503 Service Unavailable';
    if (!this.options.origins.allows(request)) return '403 Forbidden';
    const address = this.addressOf(request);
    if ((this.connectionsByAddress.get(address) ?? 0) >= this.options.maxConnectionsPerIp) return '429 Too Many Requests';
    if (this.handshakeLimiter.take(address) > 0) return '429 Too Many Requests';
    return undefined;
  }

  /** A connection from `address` was accepted; `left` when it closes. */
  entered(address: string): void {
    this.connectionsByAddress.set(address, (this.connectionsByAddress.get(address) ?? 0) + 1);
  }

  left(address: string): void {
    const remaining = (this.connectionsByAddress.get(address) ?? 1) - 1;
    if (remaining > 0) this.connectionsByAddress.set(address, remaining);
    else this.connectionsByAddress.delete(address);
  }
}
