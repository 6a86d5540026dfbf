import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.js';
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { PushStore } from '../chat/store-port.js';
import { buildNotification, type NotificationStore, type PushPreview } from './build-notification.js';
import type { PushMetrics } from './push-metrics.js';
import type { ClaimedPushJob } from '../chat/push-model.js';
import { sendWith, type PushOutcome, type PushProviders } from './push-provider.js';
import { retryDelayMs } from './retry-delay.js';

export interface PushDispatcherOptions {
  preview: PushPreview;
  /** How often the queue is polled for due jobs. */
  pollIntervalMs: number;
  /** Notifications in flight at once, at most. */
  concurrency: number;
  /** Attempts per job, the first included; then it is given up. */
  attemptsMax: number;
  retryBaseMs: number;
  retryMaxMs: number;
  requestTimeoutMs: number;
  /** Messages queued while a job was being sent become due this long after it. */
  coalesceMs: number;
}

export interface PushDispatcherDeps {
  store: PushStore & NotificationStore;
  bus: Bus;
  clock: Clock;
  providers: PushProviders;
  metrics: PushMetrics;
  logger: Logger;
  /** For the retry jitter; tests may fix it. */
  random?: () => number;
}

type SkipReason = 'muted' | 'acked' | 'online';

/**
 * Sends what the push queue holds when it falls due. Polls the store with
 * the injected clock, claims due jobs (leased, so another dispatcher or a
 * restart after a crash never sends a job twice at once), decides at send
 * time whether the device still needs it (acked past it, online now on any
 * node, or muted meanwhile: no), and settles each job by its outcome.
 * At most `concurrency` notifications are in flight; one poll cycle runs at a time.
 */
export class PushDispatcher {
  private timer: TimerHandle | undefined;
  private cycles: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly leaseMs: number;

  constructor(
    private readonly deps: PushDispatcherDeps,
    private readonly options: PushDispatcherOptions,
  ) {
    // A send may take up to four requests (token, notification, and both again after a 401), plus reads.
    // The lease must outlast them, or the job could be claimed again while still in flight.
    this.leaseMs = options.requestTimeoutMs * 5;
  }

  start(): void {
    this.schedulePoll();
  }

  /** Handles every job due now and resolves when done; the poll does the same every `pollIntervalMs`. */
  deliverDue(): Promise<void> {
    this.cycles = this.cycles.then(() => this.cycle());
    return this.cycles;
  }

  /** Stops polling and waits for the notifications in flight (each bounded by the request timeout). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) this.deps.clock.cancel(this.timer);
    await this.cycles;
  }

  private schedulePoll(): void {
    if (this.closed) return;
    this.timer = this.deps.clock.schedule(this.options.pollIntervalMs, () => {
      void this.deliverDue().then(() => this.schedulePoll());
    });
  }

  private async cycle(): Promise<void> {
    const { store, clock, logger } = this.deps;
    const inFlight = new Set<Promise<void>>();
    try {
      while (!this.closed) {
        const free = this.options.concurrency - inFlight.size;
        if (free <= 0) {
          await Promise.race(inFlight);
          continue;
        }
        const now = clock.now();
        const jobs = await store.claimPushJobs(now, free, now + this.leaseMs);
        if (jobs.length === 0) break;
        for (const job of jobs) {
          const handling: Promise<void> = this.handle(job).finally(() => inFlight.delete(handling));
          inFlight.add(handling);
        }
      }
    } catch (error) {
      logger.error({ err: error }, 'claiming push jobs failed');
    }
    await Promise.all(inFlight);
  }

  /** Never rejects: a job whose handling fails comes back when its lease ends. */
  private async handle(job: ClaimedPushJob): Promise<void> {
    const { store, clock, metrics, logger, providers } = this.deps;
    try {
      const skip = await this.skipReason(job);
      if (skip !== undefined) {
        if (skip === 'muted') metrics.muted.inc();
        else metrics.deduplicated.inc({ reason: skip });
        await store.completePushJob(job, clock.now() + this.options.coalesceMs);
        return;
      }
      const notification = await buildNotification(store, job, this.options.preview, clock.now());
      const sending = sendWith(providers, job.target, notification);
      if (sending === undefined) {
        // Registered while the provider was configured; the registration stays for when it is again.
        metrics.failed.inc({ provider: job.target.provider, reason: 'provider_off' });
        logger.warn({ provider: job.target.provider, device: job.deviceId }, 'push provider not configured; notification dropped');
        await store.completePushJob(job, clock.now() + this.options.coalesceMs);
        return;
      }
      const outcome = await sending.catch((error: unknown): PushOutcome => ({ kind: 'retry', reason: String(error) }));
      await this.settle(job, outcome);
    } catch (error) {
      logger.error({ err: error, device: job.deviceId, conversation: job.conversationId }, 'push job failed; it comes back after its lease');
    }
  }

  private async skipReason(job: ClaimedPushJob): Promise<SkipReason | undefined> {
    if (job.mutedUntil !== null && job.mutedUntil > this.deps.clock.now()) return 'muted';
    if (job.deviceAckedPos >= job.lastPos) return 'acked';
    if ((await this.deps.bus.onlineDevices(job.userId)).has(job.deviceId)) return 'online';
    return undefined;
  }

  private async settle(job: ClaimedPushJob, outcome: PushOutcome): Promise<void> {
    const { store, clock, metrics, logger } = this.deps;
    const provider = job.target.provider;
    const about = { provider, device: job.deviceId, conversation: job.conversationId, count: job.count, attempts: job.attempts };
    switch (outcome.kind) {
      case 'delivered':
        metrics.sent.inc({ provider });
        metrics.coalesced.inc(job.count - 1);
        logger.debug(about, 'push sent');
        await store.completePushJob(job, clock.now() + this.options.coalesceMs);
        return;
      case 'unregistered':
        metrics.tokensRemoved.inc({ provider });
        logger.info({ ...about, reason: outcome.reason }, 'push token is gone; registration removed');
        await store.removePushRegistration(job.deviceId, job.target);
        return;
      case 'rejected':
        metrics.failed.inc({ provider, reason: 'rejected' });
        logger.warn({ ...about, reason: outcome.reason }, 'push refused; notification dropped');
        await store.completePushJob(job, clock.now() + this.options.coalesceMs);
        return;
      case 'retry':
        if (job.attempts >= this.options.attemptsMax) {
          metrics.failed.inc({ provider, reason: 'gave_up' });
          logger.warn({ ...about, reason: outcome.reason }, 'push failed too often; notification dropped');
          await store.completePushJob(job, clock.now() + this.options.coalesceMs);
          return;
        }
        metrics.retried.inc({ provider });
        logger.info({ ...about, reason: outcome.reason }, 'push failed; retrying later');
        await store.retryPushJob(job, clock.now() + retryDelayMs(this.options, job.attempts, outcome.retryAfterMs, this.deps.random ?? Math.random));
        return;
    }
  }
}
