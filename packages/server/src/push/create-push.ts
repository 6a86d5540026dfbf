import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../clock/clock.js';
import type { PushStore } from '../chat/store-port.js';
import type { NotificationStore } from './build-notification.js';
import { ApnsProvider } from './apns-provider.js';
import { FcmProvider } from './fcm-provider.js';
import type { PushConfig } from '../push-config.js';
import { PushDispatcher } from './push-dispatcher.js';
import type { PushMetrics } from './push-metrics.js';
import { enabledProviders, type PushProviders } from './push-provider.js';
import { PushTargetPolicy } from './push-target-policy.js';
import type { Resolve } from './safe-address.js';
import { readServiceAccount } from './service-account.js';
import { loadVapidKeys, vapidKeysDir } from './vapid-keys.js';
import { WebPushProvider } from './web-push-provider.js';
import { WebhookProvider } from './webhook-provider.js';

export interface PushDeps {
  store: PushStore & NotificationStore;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  metrics: PushMetrics;
  /** DNS for the SSRF check; tests may answer for made-up names. */
  resolve?: Resolve;
}

export interface Push {
  /** What devices may register (the HTTP routes ask it). */
  policy: PushTargetPolicy;
  dispatcher: PushDispatcher;
  /** Stops the dispatcher, then closes the providers' connections. */
  close(): Promise<void>;
}

/**
 * The push parts, wired from configuration: the providers that have
 * credentials, the policy registrations are checked with, and the dispatcher
 * (started here). Credential files are read now, so a bad one stops the
 * start-up with its name rather than failing at the first notification.
 */
export function createPush(
  config: PushConfig & { dataDir: string; databaseUrl?: string | undefined; masterKeyFile?: string | undefined },
  deps: PushDeps,
): Push {
  const { clock, logger } = deps;
  const requestTimeoutMs = config.pushRequestTimeoutMs;
  const allowPrivate = config.pushAllowPrivate;
  const vapid = loadVapidKeys(vapidKeysDir(config), { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey, subject: config.vapidSubject });
  const providers: PushProviders = {
    webpush: new WebPushProvider({ vapid, allowPrivate, requestTimeoutMs, clock, ...(deps.resolve ? { resolve: deps.resolve } : {}) }),
  };
  if (config.fcmServiceAccountFile !== undefined) {
    const account = readServiceAccount(config.fcmServiceAccountFile);
    providers.fcm = new FcmProvider({ account, baseUrl: config.fcmBaseUrl, requestTimeoutMs, clock });
  }
  const apns = apnsCredentials(config);
  if (apns !== undefined) {
    providers.apns = new ApnsProvider({ ...apns, productionUrl: config.apnsProductionUrl, sandboxUrl: config.apnsSandboxUrl, requestTimeoutMs, clock });
  }
  if (config.webhookSecret !== undefined) {
    providers.webhook = new WebhookProvider({ secret: config.webhookSecret, allowPrivate, requestTimeoutMs, clock, ...(deps.resolve ? { resolve: deps.resolve } : {}) });
  }
  const enabled = enabledProviders(providers);
  logger.info({ providers: enabled, preview: config.pushPreview }, 'push providers');
  // Only for an admin who set up web push (their own VAPID keys): the quick start's generated keys need no contact yet.
  const webPushConfigured = config.vapidPublicKey !== undefined || config.vapidPrivateKey !== undefined;
  if (webPushConfigured && config.vapidSubject === 'mailto:parley@localhost') {
    logger.warn('PARLEY_VAPID_SUBJECT is the placeholder; some push services refuse it: set a mailto: or https: contact you own');
  }

  const policy = new PushTargetPolicy({
    enabled: new Set(enabled),
    allowPrivate,
    vapidPublicKey: vapid.publicKey,
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
  });
  const dispatcher = new PushDispatcher({ ...deps, providers }, {
    preview: config.pushPreview,
    pollIntervalMs: config.pushPollIntervalMs,
    concurrency: config.pushConcurrency,
    attemptsMax: config.pushAttemptsMax,
    retryBaseMs: config.pushRetryBaseMs,
    retryMaxMs: config.pushRetryMaxMs,
    requestTimeoutMs,
    coalesceMs: config.pushCoalesceMs,
  });
  dispatcher.start();
  return {
    policy,
    dispatcher,
    async close() {
      await dispatcher.close();
      await Promise.all(Object.values(providers).map((provider) => provider.close()));
    },
  };
}

function apnsCredentials(config: PushConfig) {
  const { apnsKeyFile, apnsKeyId, apnsTeamId } = config;
  if (apnsKeyFile === undefined && apnsKeyId === undefined && apnsTeamId === undefined) return undefined;
  if (apnsKeyFile === undefined || apnsKeyId === undefined || apnsTeamId === undefined) {
    throw new Error('Invalid configuration: APNs needs --apns-key-file, --apns-key-id and --apns-team-id together (PARLEY_APNS_KEY_FILE, PARLEY_APNS_KEY_ID, PARLEY_APNS_TEAM_ID)');
  }
  const key = createPrivateKey(readFileSync(apnsKeyFile));
  if (key.asymmetricKeyType !== 'ec') throw new Error(`${apnsKeyFile} is not an APNs signing key (.p8, EC P-256)`);
  return {
    key,
    keyId: apnsKeyId,
    teamId: apnsTeamId,
    ...(config.apnsCaFile === undefined ? {} : { ca: readFileSync(config.apnsCaFile) }),
  };
}
