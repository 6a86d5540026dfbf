import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, webhookToleranceMs } from './webhook-signature.js';

describe('webhook signatures', () => {
  const secret = 'a-secret-of-enough-length';
  const now = Date.UTC(2026, 0, 1);
  const seconds = now / 1000;
  const body = '{"type":"message"}';

  it('verifies what was signed, and nothing else', () => {
    const signature = signWebhook(secret, seconds, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, signature, String(seconds), body, now)).toBe(true);
    expect(verifyWebhook(secret, signature, String(seconds), `${body} `, now)).toBe(false);
    expect(verifyWebhook('another-secret-entirely', signature, String(seconds), body, now)).toBe(false);
    expect(verifyWebhook(secret, undefined, String(seconds), body, now)).toBe(false);
  });

  it('binds the timestamp: a replay with a fresh timestamp fails, and so does an old delivery', () => {
    const signature = signWebhook(secret, seconds, body);
    expect(verifyWebhook(secret, signature, String(seconds + 60), body, now + 60_000)).toBe(false);
    expect(verifyWebhook(secret, signature, String(seconds), body, now + webhookToleranceMs + 1_000)).toBe(false);
  });
});
