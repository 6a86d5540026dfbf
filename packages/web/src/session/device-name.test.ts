import { describe, expect, it } from 'vitest';
import { deviceNameOf } from './device-name.js';

describe('deviceNameOf', () => {
  it('names Chrome on Linux from its user agent', () => {
    const agent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(deviceNameOf(agent)).toBe('Chrome on Linux');
  });

  it('tells Edge from the Chrome it is built on, and Android from Linux', () => {
    expect(deviceNameOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36 Edg/131.0')).toBe('Edge on Windows');
    expect(deviceNameOf('Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile Safari/537.36')).toBe('Chrome on Android');
  });

  it('names Safari on an iPhone and falls back to "Browser" for an unknown agent', () => {
    expect(deviceNameOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile/15E148 Safari/604.1')).toBe('Safari on iOS');
    expect(deviceNameOf('curl/8.0')).toBe('Browser');
  });
});
