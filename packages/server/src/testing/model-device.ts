import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { MessageEvent, ReceiptEvent, SendFrame, ServerFrame } from '@parley/protocol';
import { readExactServerFrame } from './read-exact-server-frame.js';

/**
 * A minimal protocol client that follows the client rules of the protocol
 * (process each pos once and in order, ack what it processed, re-send its
 * outbox with the same ids after reconnecting, and a send answered
 * `unavailable` once the named wait has passed) and records what it showed, so
 * property tests can check the server's promises.
 */
export class ModelDevice {
  /** Messages in the order this device showed them. */
  readonly shown: MessageEvent[] = [];
  /** Receipts in the order this device processed them. */
  readonly receipts: ReceiptEvent[] = [];
  /** Message ids the server acknowledged with `sent`, and their conversations. */
  readonly acknowledged = new Map<string, string>();
  /** Broken rules seen: a pos gap, a pos going back, a resync, a frame outside the wire contract. */
  readonly violations: string[] = [];
  /** How the server closed this device's sockets (code and reason), oldest first: for a failure's message. */
  readonly closes: string[] = [];
  private readonly outbox = new Map<string, Omit<SendFrame, 'type'>>();
  private socket: WebSocket | undefined;
  private lastPos = 0;
  private synced: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly token: string,
  ) {}

  get pending(): number {
    return this.outbox.size;
  }

  /** Connects and resolves once the server says `synced`. */
  connect(baseUrl: string): Promise<void> {
    this.disconnect();
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/ws`);
    this.socket = socket;
    this.synced = new Promise<void>((resolve, reject) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', token: this.token, protocol: 1 })));
      socket.on('message', (data) => {
        const read = readExactServerFrame(data.toString());
        if (!read.ok) {
          this.violations.push(`${this.name}: ${read.message}`);
          return;
        }
        if (read.frame.type === 'synced') resolve();
        this.receive(socket, read.frame);
      });
      socket.on('close', (code, reason) => {
        if (this.socket === socket) this.closes.push(`${code} ${reason.toString()}`);
        reject(new Error(`${this.name} closed before synced: ${code} ${reason.toString()}`));
      });
      socket.on('error', () => undefined);
    });
    this.synced.catch(() => undefined);
    return this.synced;
  }

  disconnect(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.terminate();
  }

  /** What this device waits for and what happened to its sockets, for a failure's message. */
  describe(): string {
    return `${this.name}: ${this.pending} pending, socket ${this.socket?.readyState ?? 'none'}, server closes [${this.closes.join('; ')}]`;
  }

  send(conversation: string, text: string): void {
    const id = randomUUID();
    this.outbox.set(id, { id, conversation, body: { text } });
    this.transmit(id);
  }

  /** Marks the conversation read up to the newest message this device showed. */
  read(conversation: string): void {
    const newest = this.shown.filter((message) => message.conversation === conversation).at(-1);
    if (newest !== undefined && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'read', conversation, seq: newest.seq }));
    }
  }

  private transmit(id: string): void {
    const pending = this.outbox.get(id);
    if (pending !== undefined && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'send', ...pending }));
    }
  }

  private retryLater(id: string, retryAfterMs = 1_000): void {
    setTimeout(() => this.transmit(id), retryAfterMs).unref();
  }

  private receive(socket: WebSocket, frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        // No device here is away beyond the retention window: a resync would drop its stream's continuity.
        if (frame.resync === true) this.violations.push(`${this.name}: told to resync at pos ${frame.pos} after ${this.lastPos}`);
        for (const id of this.outbox.keys()) this.transmit(id);
        return;
      case 'sent':
        this.outbox.delete(frame.id);
        this.acknowledged.set(frame.id, frame.conversation);
        return;
      case 'message':
      case 'receipt':
      case 'conversation':
        if (frame.pos <= this.lastPos) return;
        // A new device starts at its user's pos of the moment: its first event may be any pos.
        if (this.lastPos > 0 && frame.pos !== this.lastPos + 1) this.violations.push(`${this.name}: pos ${frame.pos} after ${this.lastPos}`);
        this.lastPos = frame.pos;
        if (frame.type === 'message') this.shown.push(frame);
        if (frame.type === 'receipt') this.receipts.push(frame);
        socket.send(JSON.stringify({ type: 'ack', pos: frame.pos }));
        return;
      case 'error':
        // A member removed from a group is refused its sends there.
        if (frame.code === 'not_member' && frame.ref !== undefined) this.outbox.delete(frame.ref);
        // The server could not write for now (in a cluster: PostgreSQL restarting or out of reach): the
        // protocol has the client keep the send and send it again, same id, once the named wait has passed.
        else if (frame.code === 'unavailable' && frame.ref !== undefined && this.outbox.has(frame.ref)) this.retryLater(frame.ref, frame.retryAfterMs);
        // Anything else is a broken rule.
        else this.violations.push(`${this.name}: error ${frame.code} ${frame.message}`);
        return;
      default:
        return;
    }
  }
}
