import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, isPublicAddress, resolveSafeAddress, UnsafeEndpointError, type Resolve } from './safe-address.js';

const answers =
  (table: Record<string, string[]>): Resolve =>
  async (hostname) => {
    const found = table[hostname];
    if (found === undefined) throw new Error('ENOTFOUND');
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('the SSRF rule for user-supplied endpoints', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.0.0.5', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '0.0.0.0', '192.0.2.1', '198.18.0.1', '224.0.0.1', '255.255.255.255',
    '::1', '::', '::ffff:127.0.0.1', '::ffff:8.8.8.8', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1',
    '64:ff9b::7f00:1', '2001:db8::1', '2002:7f00:1::1', '2001::1',
  ])('treats %s as private or special-purpose', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2a00:1450:4001:82b::200e', '2606:4700::1111'])('treats %s as public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('accepts https only, and http too when private endpoints are allowed', () => {
    expect(() => checkEndpointUrl('http://push.example.com/x', false)).toThrow(/https/);
    expect(() => checkEndpointUrl('ftp://push.example.com/x', true)).toThrow(/https/);
    expect(() => checkEndpointUrl('https://user:secret@push.example.com/', false)).toThrow(/credentials/);
    expect(checkEndpointUrl('http://127.0.0.1:9/x', true).port).toBe('9');
  });

  it('refuses a host when any of its addresses is private, and says which', async () => {
    const resolve = answers({ 'mixed.example': ['93.184.216.34', '10.1.2.3'], 'good.example': ['93.184.216.34'] });
    await expect(resolveSafeAddress(new URL('https://mixed.example/hook'), false, resolve)).rejects.toThrow(/10\.1\.2\.3/);
    await expect(resolveSafeAddress(new URL('https://good.example/hook'), false, resolve)).resolves.toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('checks IP literals without DNS, including bracketed IPv6 and the numeric forms URL parsing normalises', async () => {
    const resolve = answers({});
    await expect(resolveSafeAddress(new URL('https://[::1]/x'), false, resolve)).rejects.toBeInstanceOf(UnsafeEndpointError);
    await expect(resolveSafeAddress(new URL('https://2130706433/x'), false, resolve)).rejects.toThrow(/127\.0\.0\.1/);
    await expect(resolveSafeAddress(new URL('https://0x7f.1/x'), false, resolve)).rejects.toThrow(/127\.0\.0\.1/);
    await expect(resolveSafeAddress(new URL('https://127.0.0.1/x'), true, resolve)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
  });

  it('marks a name that does not resolve as transient, and a private address as not', async () => {
    const resolve = answers({ 'inside.example': ['192.168.0.10'] });
    await expect(resolveSafeAddress(new URL('https://gone.example/'), false, resolve)).rejects.toMatchObject({ transient: true });
    await expect(resolveSafeAddress(new URL('https://inside.example/'), false, resolve)).rejects.toMatchObject({ transient: false });
  });
});
