import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import webPush from 'web-push';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../bus/memory-bus.js';
import { FakeClock } from '../clock/fake-clock.js';
import { loadConfig, parseConfig } from '../config.js';
import type { Store } from '../chat/store-port.js';
import { tempDir } from '../testing/temp-dir.js';
import { createPush } from './create-push.js';
import { createPushMetrics } from './push-metrics.js';

describe('push configuration', () => {
  const dirs: { remove: () => void }[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

  it('reads the push settings from PARLEY_ variables, with privacy-first defaults', () => {
    const defaults = loadConfig([], {});
    expect(defaults).toMatchObject({ pushPreview: 'none', pushAllowPrivate: false, pushCoalesceMs: 2_000, pushAttemptsMax: 8 });
    const config = loadConfig([], {
      PARLEY_PUSH_PREVIEW: 'sender',
      PARLEY_PUSH_ALLOW_PRIVATE: 'true',
      PARLEY_FCM_SERVICE_ACCOUNT_FILE: '/etc/parley/fcm.json',
      PARLEY_APNS_KEY_ID: 'ABC123DEFG',
      PARLEY_WEBHOOK_SECRET: 'a-long-enough-secret',
    });
    expect(config).toMatchObject({
      pushPreview: 'sender',
      pushAllowPrivate: true,
      fcmServiceAccountFile: '/etc/parley/fcm.json',
      apnsKeyId: 'ABC123DEFG',
      webhookSecret: 'a-long-enough-secret',
    });
  });

  it('refuses a short webhook secret, an unknown preview and a VAPID subject that is no contact', () => {
    expect(() => loadConfig([], { PARLEY_WEBHOOK_SECRET: 'short' })).toThrow(/--webhook-secret \(PARLEY_WEBHOOK_SECRET\)/);
    expect(() => loadConfig([], { PARLEY_PUSH_PREVIEW: 'everything' })).toThrow(/--push-preview \(PARLEY_PUSH_PREVIEW\)/);
    expect(() => loadConfig([], { PARLEY_VAPID_SUBJECT: 'admin@example.com' })).toThrow(/--vapid-subject \(PARLEY_VAPID_SUBJECT\)/);
  });

  it('stops the start-up with the reason when APNs credentials are partial or a key file is not one', () => {
    const dir = tempDir();
    dirs.push(dir);
    const notJson = join(dir.path, 'fcm.json');
    writeFileSync(notJson, 'not json');
    const deps = { store: {} as Store, bus: new MemoryBus(), clock: new FakeClock(), logger: pino({ level: 'silent' }), metrics: createPushMetrics(new Registry()) };
    const config = (input: Record<string, unknown>) => ({ ...parseConfig(input), dataDir: dir.path, sharedStore: false });
    expect(() => createPush(config({ apnsKeyId: 'ABC123DEFG' }), deps)).toThrow(/APNs needs --apns-key-file, --apns-key-id and --apns-team-id together/);
    expect(() => createPush(config({ fcmServiceAccountFile: notJson }), deps)).toThrow(/is not a Google service-account key file/);
    expect(() => createPush(config({ vapidPublicKey: 'only-half' }), deps)).toThrow(/VAPID needs both --vapid-public-key and --vapid-private-key/);
  });

  it('never makes a VAPID pair of its own on a shared store: web push is off until every node is given one', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const deps = { store: {} as Store, bus: new MemoryBus(), clock: new FakeClock(), logger: pino({ level: 'silent' }), metrics: createPushMetrics(new Registry()) };
    const shared = createPush({ ...parseConfig({}), dataDir: dir.path, sharedStore: true }, deps);
    expect(shared.policy.view().providers).not.toContain('webpush');
    expect(existsSync(join(dir.path, 'vapid.json'))).toBe(false);
    await shared.close();
    const pair = webPush.generateVAPIDKeys();
    const configured = createPush({ ...parseConfig({ vapidPublicKey: pair.publicKey, vapidPrivateKey: pair.privateKey }), dataDir: dir.path, sharedStore: true }, deps);
    expect(configured.policy.view()).toMatchObject({ providers: ['webpush'], vapidPublicKey: pair.publicKey });
    await configured.close();
  });
});
