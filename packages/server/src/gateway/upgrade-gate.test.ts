import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { OriginPolicy } from '../edge/origin-policy.js';
import { UpgradeGate } from './upgrade-gate.js';

function handshake(url: string, headers: Record<string, string> = {}): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.url = url;
  request.headers = { host: 'chat.example.org', ...headers };
  return request;
}

function gate(overrides: Partial<ConstructorParameters<typeof UpgradeGate>[1]> = {}) {
  return new UpgradeGate(new FakeClock(), {
    origins: new OriginPolicy([], true),
    trustProxy: false,
    maxConnectionsPerIp: 2,
    handshakesPerIpPerSecond: 100,
    handshakeBurst: 100,
    ...overrides,
  });
}

describe('UpgradeGate', () => {
  it('accepts a handshake at /v1/ws, with or without a query, and refuses any other path with 404', () => {
    const open = gate();
    expect(open.refusalOf(handshake('/v1/ws'))).toBeUndefined();
    expect(open.refusalOf(handshake('/v1/ws?v=1'))).toBeUndefined();
    expect(open.refusalOf(handshake('/v1/websocket'))).toBe('404 Not Found');
  });

  it('refuses every handshake with 503 once the server is shutting down', () => {
    const closing = gate();
    closing.close();
    expect(closing.accepting).toBe(false);
    expect(closing.refusalOf(handshake('/v1/ws'))).toBe('503 Service Unavailable');
  });

  it("refuses a page from a foreign origin with 403, and takes the server's own", () => {
    const open = gate();
    expect(open.refusalOf(handshake('/v1/ws', { origin: 'https://evil.example' }))).toBe('403 Forbidden');
    expect(open.refusalOf(handshake('/v1/ws', { origin: 'https://chat.example.org' }))).toBeUndefined();
  });

  it('refuses an address holding maxConnectionsPerIp connections with 429 until one of them leaves', () => {
    const open = gate();
    const address = open.addressOf(handshake('/v1/ws'));
    open.entered(address);
    open.entered(address);
    expect(open.refusalOf(handshake('/v1/ws'))).toBe('429 Too Many Requests');
    open.left(address);
    expect(open.refusalOf(handshake('/v1/ws'))).toBeUndefined();
  });

  it('refuses handshakes past the per-address rate with 429', () => {
    const limited = gate({ handshakesPerIpPerSecond: 1, handshakeBurst: 1 });
    expect(limited.refusalOf(handshake('/v1/ws'))).toBeUndefined();
    expect(limited.refusalOf(handshake('/v1/ws'))).toBe('429 Too Many Requests');
  });
});
