import { createNodeClient, type ErrorFrame, type ParleyClient, type ReceivedMessage, type SentFrame } from '@parley/client/node';
import type { TestUser } from './test-api.js';

/** A message as a device surfaced it to its app, with when (this process's clock). */
export interface Surfaced {
  message: ReceivedMessage;
  atMs: number;
}

/**
 * A device of a test's user on the real SDK (`ws` sockets, memory storage),
 * recording what it surfaces and every send it makes: what a person would
 * have seen and typed, to compare with what the cluster stored.
 */
export class RecordingDevice {
  readonly surfaced: Surfaced[] = [];
  /** Every answer the server gave for a send, in the order the sends were made. */
  readonly sends: { text: string; conversation: string; startedAtMs: number; sent: Promise<SentFrame>; answeredAtMs?: number }[] = [];
  /** `unavailable` and `rate_limited` answers that kept a send in the outbox, with when. */
  readonly delayed: { error: ErrorFrame; atMs: number }[] = [];
  /** When the client became synced, each time. */
  readonly syncedAtMs: number[] = [];

  private constructor(
    readonly client: ParleyClient,
    readonly user: TestUser,
  ) {
    client.on('message', (message) => this.surfaced.push({ message, atMs: Date.now() }));
    client.on('sendDelayed', (error) => this.delayed.push({ error, atMs: Date.now() }));
    client.on('state', (state) => {
      if (state === 'synced') this.syncedAtMs.push(Date.now());
    });
  }

  /**
   * Connects `user`'s device to `url` (a node, or HAProxy: the SDK adds
   * `?user=`), reconnecting within `reconnectDelayMaxMs` after a failure.
   */
  static async connect(url: string, user: TestUser, reconnectDelayMaxMs = 1_000): Promise<RecordingDevice> {
    const client = createNodeClient({ url, token: user.token, user: user.userId, reconnectDelayMaxMs });
    const device = new RecordingDevice(client, user);
    await client.connect();
    return device;
  }

  /** Sends a text (unique within the test, so stored messages can be told apart); the send is recorded with its eventual answer. */
  send(conversation: string, text: string): void {
    const sent = this.client.send(conversation, { text });
    const record: RecordingDevice['sends'][number] = { text, conversation, startedAtMs: Date.now(), sent };
    // Recorded, not awaited here: a test awaits them all at its end.
    sent.then(
      () => (record.answeredAtMs = Date.now()),
      () => undefined,
    );
    this.sends.push(record);
  }

  /** Every send's `sent`, once all are answered (the SDK retries through outages). */
  allSent(): Promise<SentFrame[]> {
    return Promise.all(this.sends.map((send) => send.sent));
  }

  /** The messages of one conversation this device surfaced, in the order it surfaced them. */
  messagesIn(conversation: string): ReceivedMessage[] {
    return this.surfaced.filter((entry) => entry.message.conversation === conversation).map((entry) => entry.message);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
