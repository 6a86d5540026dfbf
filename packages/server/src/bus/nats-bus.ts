import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { assert } from '../lib/assert.js';
import type { Bus, NoticeListener, UserNotice } from './bus.js';
import { DeliveryWatch, type CatchUpReason } from './delivery-watch.js';
import { DeviceMarks } from './device-marks.js';
import { LiveNodes } from './live-nodes.js';
import { LocalListeners } from './local-listeners.js';
import { parseHeartbeat, parseNoticeEnvelope, parseOnlineAnswer, parseOnlineQuery, type Heartbeat, type NoticeEnvelope, type OnlineAnswer, type OnlineQuery } from './nats-messages.js';
import { OnlineQuestions } from './online-questions.js';

export interface NatsBusOptions {
  /** One NATS server URL, or several separated by commas (a NATS cluster). */
  url: string;
  /** Put before every subject, so clusters (or tests) sharing a NATS server stay apart. Ends with a dot. */
  subjectPrefix: string;
  logger: Logger;
}

/** Each node publishes a heartbeat this often, and checks its link as often. */
const heartbeatIntervalMs = 1_000;
/** A node unheard of this long is dead: questions no longer wait for it. */
const nodeDeadAfterMs = 3_000;
/** The node's own heartbeat not back for this long: notices may be getting lost (a silent partition). */
const quietAfterMs = 2_000;
/** `onlineDevices` waits this long at most for the other nodes' answers. */
const onlineAnswerWaitMsMax = 250;

/** NATS's own default for the largest message, used until the server has said its own. */
const natsDefaultMaxPayloadBytes = 1024 * 1024;

const subjectToken = /^[A-Za-z0-9_-]+$/;

/**
 * The cluster bus over core NATS (no JetStream: NATS carries wake-ups only,
 * the store has every entry). A notice reaches this node's listeners at once,
 * in-process, so a node's own sessions never depend on NATS, and the other
 * nodes through the subject `<prefix>user.<userId>`, which a node listens to
 * only while it holds listeners for that user. Who is online is asked of
 * every live node on `<prefix>online.<userId>`. When notices may have been
 * lost (see DeliveryWatch), every local listener is told `catch_up`.
 */
export class NatsBus implements Bus {
  private readonly nodeId = randomBytes(9).toString('base64url');
  private readonly listeners = new LocalListeners({
    onFirstListener: (userId) => this.listenTo(userId),
    onLastListener: (userId) => this.stopListeningTo(userId),
  });
  private readonly userSubscriptions = new Map<string, Subscription>();
  private readonly devices = new DeviceMarks();
  private readonly liveNodes = new LiveNodes(nodeDeadAfterMs);
  private readonly questions = new OnlineQuestions(onlineAnswerWaitMsMax);
  private readonly watch: DeliveryWatch;
  private readonly ticker: NodeJS.Timeout;
  private linkUp = true;
  private closing = false;
  /** Logged once when a quiet period begins, not at every catch-up during it. */
  private previousCatchUp: CatchUpReason | undefined;

  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    let connection: NatsConnection;
    try {
      connection = await connect({
        servers: options.url.split(',').map((server) => server.trim()),
        name: 'parley',
        // A node keeps trying for as long as it runs: the bus heals when NATS comes back.
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
      });
    } catch (error) {
      throw new Error(`cannot reach NATS at ${options.url}: ${String(error)}`, { cause: error });
    }
    return new NatsBus(connection, options);
  }

  private constructor(
    private readonly connection: NatsConnection,
    private readonly options: NatsBusOptions,
  ) {
    assert(/^([A-Za-z0-9_-]+\.)+$/.test(options.subjectPrefix), 'the NATS subject prefix is checked by the config');
    this.watch = new DeliveryWatch(quietAfterMs, performance.now(), (reason) => this.catchUpAll(reason));
    const prefix = options.subjectPrefix;
    connection.subscribe(`${prefix}nodes`, { callback: this.handler((message) => this.heardHeartbeat(message)) });
    connection.subscribe(`${prefix}online.*`, { callback: this.handler((message) => this.answerOnlineQuery(message)) });
    connection.subscribe(this.answerSubject, { callback: this.handler((message) => this.heardOnlineAnswer(message)) });
    void this.followStatus();
    this.publishHeartbeat();
    this.ticker = setInterval(() => this.tick(), heartbeatIntervalMs);
    this.ticker.unref();
  }

  publish(userId: string, notice: UserNotice): void {
    this.listeners.deliver(userId, notice);
    // While disconnected nothing is queued for later: the others catch up from the store instead.
    if (!this.canPublish) return;
    let payload = JSON.stringify({ node: this.nodeId, notice } satisfies NoticeEnvelope);
    if (Buffer.byteLength(payload) > (this.connection.info?.max_payload ?? natsDefaultMaxPayloadBytes)) {
      if (notice.kind !== 'stream') {
        this.options.logger.warn({ kind: notice.kind }, 'a notice too big for one NATS message was not sent to the other nodes');
        return;
      }
      // A batch of large bodies: a bare wake-up instead, and the sessions read the entries from the store.
      payload = JSON.stringify({ node: this.nodeId, notice: { kind: 'stream', entries: [] } } satisfies NoticeEnvelope);
    }
    this.connection.publish(this.subjectOf('user', userId), payload);
  }

  subscribe(userId: string, listener: NoticeListener): () => void {
    return this.listeners.add(userId, listener);
  }

  markDeviceOnline(userId: string, deviceId: string): () => void {
    return this.devices.mark(userId, deviceId);
  }

  /** This node's devices of the user, with those the live nodes answer within `onlineAnswerWaitMsMax`. */
  async onlineDevices(userId: string): Promise<ReadonlySet<string>> {
    const own = this.devices.devicesOf(userId);
    const others = this.canPublish ? this.liveNodes.alive(performance.now()) : [];
    if (others.length === 0) return new Set(own);
    return this.questions.ask(own, others, (query) => {
      const question: OnlineQuery = { node: this.nodeId, query };
      this.connection.publish(this.subjectOf('online', userId), JSON.stringify(question), { reply: this.answerSubject });
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.ticker);
    this.questions.endAll();
    if (this.linkUp && !this.connection.isClosed()) {
      const leaving: Heartbeat = { node: this.nodeId, leaving: true };
      this.connection.publish(`${this.options.subjectPrefix}nodes`, JSON.stringify(leaving));
      // Drain: unsubscribes, lets the messages already received be handled, flushes, then closes.
      await this.connection.drain();
    } else {
      // Draining waits for a server that may not come back.
      await this.connection.close();
    }
    this.listeners.clear();
    this.devices.clear();
  }

  private get canPublish(): boolean {
    return this.linkUp && !this.closing && !this.connection.isClosed();
  }

  private get answerSubject(): string {
    return `${this.options.subjectPrefix}online-answer.${this.nodeId}`;
  }

  private subjectOf(kind: 'user' | 'online', userId: string): string {
    assert(subjectToken.test(userId), `a user id is one NATS subject token: ${userId}`);
    return `${this.options.subjectPrefix}${kind}.${userId}`;
  }

  private listenTo(userId: string): void {
    const subscription = this.connection.subscribe(this.subjectOf('user', userId), {
      callback: this.handler((message) => this.heardNotice(userId, message)),
    });
    this.userSubscriptions.set(userId, subscription);
    // The subscription holds at the server once a flush returns; a notice published before then is lost, so the
    // user's sessions catch up once it holds (they may have read the store just before it did).
    this.connection
      .flush()
      .then(() => {
        if (this.userSubscriptions.get(userId) === subscription) this.listeners.deliver(userId, { kind: 'catch_up' });
      })
      .catch((error: unknown) => this.options.logger.debug({ err: error }, 'a NATS flush failed: the next catch-up covers what it would have'));
  }

  private stopListeningTo(userId: string): void {
    const subscription = this.userSubscriptions.get(userId);
    this.userSubscriptions.delete(userId);
    if (subscription !== undefined && !this.connection.isClosed()) subscription.unsubscribe();
  }

  private heardNotice(userId: string, message: Msg): void {
    const envelope = parseNoticeEnvelope(message.string());
    if (envelope === undefined) return this.dropUnreadable(message);
    // This node delivered its own notices in-process when it published them.
    if (envelope.node !== this.nodeId) this.listeners.deliver(userId, envelope.notice);
  }

  private heardHeartbeat(message: Msg): void {
    const heartbeat = parseHeartbeat(message.string());
    if (heartbeat === undefined) return this.dropUnreadable(message);
    const now = performance.now();
    if (heartbeat.node === this.nodeId) {
      this.watch.ownHeartbeatHeard(now);
    } else if (heartbeat.leaving === true) {
      this.liveNodes.left(heartbeat.node);
    } else if (this.liveNodes.heard(heartbeat.node, now)) {
      // A node that just started learns of this one at once, not at the next tick.
      this.publishHeartbeat();
    }
  }

  private answerOnlineQuery(message: Msg): void {
    const question = parseOnlineQuery(message.string());
    if (question === undefined) return this.dropUnreadable(message);
    if (question.node === this.nodeId || this.closing) return;
    const userId = message.subject.slice(`${this.options.subjectPrefix}online.`.length);
    const answer: OnlineAnswer = { node: this.nodeId, query: question.query, devices: this.devices.devicesOf(userId) };
    message.respond(JSON.stringify(answer));
  }

  private heardOnlineAnswer(message: Msg): void {
    const answer = parseOnlineAnswer(message.string());
    if (answer === undefined) return this.dropUnreadable(message);
    this.questions.answered(answer);
  }

  /** A subscription's callback: a subscription error (a permission refused, say) is logged; notices may be lost, as in any outage. */
  private handler(handle: (message: Msg) => void): (error: Error | null, message: Msg) => void {
    return (error, message) => {
      if (error === null) handle(message);
      else this.options.logger.error({ err: error }, 'a NATS subscription failed');
    };
  }

  private dropUnreadable(message: Msg): void {
    this.options.logger.warn({ subject: message.subject }, 'dropped a NATS message that is not a Parley message');
  }

  private tick(): void {
    this.publishHeartbeat();
    this.watch.tick(performance.now());
  }

  private publishHeartbeat(): void {
    if (!this.canPublish) return;
    const heartbeat: Heartbeat = { node: this.nodeId };
    this.connection.publish(`${this.options.subjectPrefix}nodes`, JSON.stringify(heartbeat));
  }

  /** Follows the connection's status until it closes: disconnects and reconnects drive the DeliveryWatch. */
  private async followStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect') {
        this.linkUp = false;
        this.options.logger.warn('NATS disconnected: sessions catch up from the store every second until it is back');
        this.watch.disconnected();
      } else if (status.type === 'reconnect') {
        this.linkUp = true;
        this.options.logger.info('NATS reconnected');
        this.publishHeartbeat();
        this.watch.reconnected(performance.now());
      }
    }
  }

  private catchUpAll(reason: CatchUpReason): void {
    if (this.closing) return;
    if (reason === 'quiet' && this.previousCatchUp !== 'quiet') {
      this.options.logger.warn('this node\'s NATS heartbeat has not come back for 2 s: sessions catch up from the store every second');
    }
    this.previousCatchUp = reason;
    for (const userId of [...this.listeners.users]) this.listeners.deliver(userId, { kind: 'catch_up' });
  }
}
