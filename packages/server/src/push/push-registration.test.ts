import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushProvidersView } from '@parley/protocol';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, request, type TestUser } from '../testing/test-api.js';
import { tempDir } from '../testing/temp-dir.js';
import { vapidKeysFileName } from './vapid-keys.js';

const webhookSecret = 'registration-test-secret';
const put = (server: RunningApp, user: TestUser, body: unknown) =>
  request<{ error?: { code: string; message: string } }>(server.url, 'PUT', '/v1/devices/current/push', { token: user.token, body });

describe('push registration over HTTP', () => {
  const running: RunningApp[] = [];
  const start = async (overrides: Parameters<typeof startApp>[0] = {}) => {
    const server = await startApp(overrides);
    running.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.stop()));
  });

  it('lists the providers that have credentials, and the VAPID key made once and kept in the data dir', async () => {
    const dir = tempDir();
    const first = await startApp({ dataDir: dir.path });
    const alice = await createUser(first.url, 'alice');
    const view = (await request<PushProvidersView>(first.url, 'GET', '/v1/push', { token: alice.token })).body;
    expect(view.providers).toEqual(['webpush']);
    expect(view.vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(existsSync(join(dir.path, vapidKeysFileName))).toBe(true);
    await first.stop({ keepData: true });
    const second = await startApp({ dataDir: dir.path, webhookSecret });
    const again = (await request<PushProvidersView>(second.url, 'GET', '/v1/push', { token: alice.token })).body;
    expect(again).toEqual({ providers: ['webpush', 'webhook'], vapidPublicKey: view.vapidPublicKey });
    await second.stop({ keepData: true });
    dir.remove();
  });

  it('refuses a provider that is not configured with a clear 400', async () => {
    const server = await start();
    const alice = await createUser(server.url, 'alice');
    for (const body of [
      { provider: 'fcm', token: 'abc' },
      { provider: 'apns', token: 'ab'.repeat(32), topic: 'app.parley', environment: 'production' },
      { provider: 'webhook', url: 'https://hooks.example.com/parley' },
    ]) {
      const response = await put(server, alice, body);
      expect(response.status).toBe(400);
      expect(response.body.error?.message).toBe(`push provider ${body.provider} is not configured on this server`);
    }
  });

  it('refuses webhook and Web Push endpoints on loopback, private or link-local addresses, and plain http', async () => {
    const server = await start({ webhookSecret });
    const alice = await createUser(server.url, 'alice');
    const keys = { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) };
    const refused: [unknown, RegExp][] = [
      [{ provider: 'webhook', url: 'https://127.0.0.1:8443/hook' }, /127\.0\.0\.1, a private or special-purpose address/],
      [{ provider: 'webhook', url: 'http://127.0.0.1:8080/hook' }, /must be an https URL/],
      [{ provider: 'webhook', url: 'https://localhost/hook' }, /private or special-purpose/],
      [{ provider: 'webhook', url: 'https://169.254.169.254/latest/meta-data' }, /private or special-purpose/],
      [{ provider: 'webhook', url: 'https://10.1.2.3/hook' }, /private or special-purpose/],
      [{ provider: 'webpush', endpoint: 'https://[::1]/push/1', keys }, /::1, a private or special-purpose address/],
    ];
    for (const [body, message] of refused) {
      const response = await put(server, alice, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error?.message).toMatch(message);
    }
  });

  it('allows private http endpoints only when PARLEY_PUSH_ALLOW_PRIVATE is on', async () => {
    const server = await start({ webhookSecret, pushAllowPrivate: true });
    const alice = await createUser(server.url, 'alice');
    expect((await put(server, alice, { provider: 'webhook', url: 'http://127.0.0.1:9/hook' })).status).toBe(204);
  });

  it('refuses Web Push keys of the wrong length and bodies that are not a registration', async () => {
    const server = await start();
    const alice = await createUser(server.url, 'alice');
    const endpoint = 'https://push.example.com/send/1';
    expect((await put(server, alice, { provider: 'webpush', endpoint, keys: { p256dh: 'A'.repeat(86), auth: 'A'.repeat(22) } })).body.error?.message).toMatch(
      /keys\.p256dh: must be 65 bytes/,
    );
    expect((await put(server, alice, { provider: 'carrier-pigeon' })).status).toBe(400);
    expect((await put(server, alice, { provider: 'apns', token: 'not-hex', topic: 'x', environment: 'sandbox' })).status).toBe(400);
    expect((await request(server.url, 'PUT', '/v1/devices/current/push', { body: { provider: 'fcm', token: 'x' } })).status).toBe(401);
  });

  it('shows, replaces and removes the registration of the calling device', async () => {
    const server = await start({ webhookSecret, pushAllowPrivate: true });
    const alice = await createUser(server.url, 'alice');
    const current = () => request(server.url, 'GET', '/v1/devices/current/push', { token: alice.token });
    expect((await current()).status).toBe(404);
    await put(server, alice, { provider: 'webhook', url: 'http://127.0.0.1:9/one' });
    await put(server, alice, { provider: 'webhook', url: 'http://127.0.0.1:9/two' });
    expect((await current()).body).toEqual({ provider: 'webhook', url: 'http://127.0.0.1:9/two' });
    expect((await request(server.url, 'DELETE', '/v1/devices/current/push', { token: alice.token })).status).toBe(204);
    expect((await current()).status).toBe(404);
    expect((await request(server.url, 'DELETE', '/v1/devices/current/push', { token: alice.token })).status).toBe(204);
  });

  it('mutes for members only, with a time or null', async () => {
    const server = await start();
    const [alice, bob, carol] = [await createUser(server.url, 'alice'), await createUser(server.url, 'bob'), await createUser(server.url, 'carol')];
    const conversation = await openDirect(server.url, alice, bob);
    const mute = (user: TestUser, body: unknown) => request(server.url, 'PUT', `/v1/conversations/${conversation}/mute`, { token: user.token, body });
    expect((await mute(bob, { until: Date.now() + 60_000 })).status).toBe(204);
    expect((await mute(bob, { until: null })).status).toBe(204);
    expect((await mute(bob, { until: 'tomorrow' })).status).toBe(400);
    expect((await mute(bob, {})).status).toBe(400);
    expect((await mute(carol, { until: null })).status).toBe(404);
  });

  it("lists a mute in force with the user's conversation, on every device, and not one that has ended", async () => {
    const server = await start();
    const [alice, bob] = [await createUser(server.url, 'alice'), await createUser(server.url, 'bob')];
    const conversation = await openDirect(server.url, alice, bob);
    const mute = (until: number | null) => request(server.url, 'PUT', `/v1/conversations/${conversation}/mute`, { token: bob.token, body: { until } });
    const listed = async (user: TestUser) => {
      const { body } = await request<{ conversations: { mutedUntil?: number }[] }>(server.url, 'GET', '/v1/conversations', { token: user.token });
      return body.conversations[0]?.mutedUntil;
    };
    const until = Date.now() + 60_000;
    await mute(until);
    expect(await listed(bob)).toBe(until);
    expect(await listed(alice)).toBeUndefined();
    await mute(Date.now() - 1);
    expect(await listed(bob)).toBeUndefined();
    await mute(null);
    expect(await listed(bob)).toBeUndefined();
  });
});
