import { connect, type NetConnectOpts, type Socket } from 'node:net';
import WebSocket from 'ws';
import { webSocketUrlOf } from '@parley/client';
import type { AckBatcher, Ackable } from './ack-batcher.js';
import { frameType, numberField } from './frame-scan.js';

export interface LeanSocketOptions {
  /** The server's http base URL. */
  url: string;
  token: string;
  /** The user's id, as the SDK puts it in the URL (`?user=`): a load balancer routes on it. */
  user?: string;
  /** Source address (127.0.0.x) for this socket: one address has only ~28k ephemeral ports. */
  localAddress?: string;
  /** Where this socket's stream events are acked; without it the socket never acks. */
  acks?: AckBatcher;
  /** Time from the TCP connect to `synced`, after which opening fails. */
  syncTimeoutMs?: number;
}

/** Called for every frame after `synced` except `pong`, with its type already read. */
export type FrameHandler = (socket: LeanSocket, type: string, text: string) => void;

const streamEventTypes = new Set(['message', 'receipt', 'conversation']);

/**
 * A protocol client stripped to what a load generator needs: `hello`, wait
 * for `synced`, cumulative acks, and raw frames in and out. Frames go out as
 * the caller's pre-serialised strings and come in as strings read with
 * `frame-scan`, so the generator spends little CPU per message.
 */
export class LeanSocket implements Ackable {
  receivedPos = 0;
  ackedPos = 0;
  /** Stream events received before `synced`: the replay. */
  replayedEvents = 0;
  /** Milliseconds from the start of the TCP connect to `synced`. */
  syncedAfterMs = 0;
  onFrame: FrameHandler | undefined;
  readonly closed: Promise<number>;
  private synced = false;
  private readonly ws: WebSocket;
  /** The TCP socket under `ws`, corked while frames of one event-loop turn pile up. */
  private tcp: Socket | undefined;
  private corked = false;

  private constructor(
    private readonly options: LeanSocketOptions,
    onSynced: (error?: Error) => void,
  ) {
    const startedMs = performance.now();
    this.ws = new WebSocket(webSocketUrlOf(options.url, options.user), {
      perMessageDeflate: false,
      // The server is trusted here; checking its UTF-8 would only cost generator CPU.
      skipUTF8Validation: true,
      // Keeps the TCP socket, to cork it; `ws` types this option as net's overloaded function.
      createConnection: ((connectOptions: NetConnectOpts) => (this.tcp = connect(connectOptions))) as typeof connect,
      handshakeTimeout: options.syncTimeoutMs ?? 30_000,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
    const timer = setTimeout(() => this.ws.terminate(), options.syncTimeoutMs ?? 30_000);
    this.ws.once('open', () => this.ws.send(`{"type":"hello","token":${JSON.stringify(options.token)},"protocol":1}`));
    this.ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      const type = frameType(text) ?? 'unknown';
      if (streamEventTypes.has(type)) this.onStreamEvent(text);
      if (this.synced) {
        if (type !== 'pong') this.onFrame?.(this, type, text);
      } else if (type === 'synced') {
        this.synced = true;
        this.syncedAfterMs = performance.now() - startedMs;
        clearTimeout(timer);
        onSynced();
      } else if (type === 'error') {
        onSynced(new Error(`refused before synced: ${text}`));
      }
    });
    let lastError = '';
    this.ws.on('error', (error) => {
      // The close event follows and settles everything; the error only says why.
      lastError = error.message;
    });
    void this.closed.then((code) => {
      clearTimeout(timer);
      this.options.acks?.forget(this);
      if (!this.synced) onSynced(new Error(`closed with ${code} before synced${lastError === '' ? '' : `: ${lastError}`}`));
    });
  }

  /** Opens a socket and resolves once the server has said `synced` (the replay is done). */
  static open(options: LeanSocketOptions): Promise<LeanSocket> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const socket: LeanSocket = new LeanSocket(options, (error) => {
        if (settled) return;
        settled = true;
        if (error === undefined) resolve(socket);
        else reject(error);
      });
    });
  }

  /**
   * Writes a pre-serialised frame. Frames written in one event-loop turn
   * (an ack and the next send, say) leave in one write: a syscall per frame
   * would make the generator, not the server, the bottleneck.
   */
  send(text: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (!this.corked && this.tcp !== undefined) {
      this.corked = true;
      this.tcp.cork();
      process.nextTick(() => this.uncork());
    }
    this.ws.send(text);
  }

  private uncork(): void {
    this.corked = false;
    this.tcp?.uncork();
  }

  sendAck(pos: number): void {
    this.send(`{"type":"ack","pos":${pos}}`);
  }

  /** Bytes written but not yet handed to the kernel: a growing figure means the generator outruns the link. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  close(): Promise<number> {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    return this.closed;
  }

  terminate(): void {
    this.ws.terminate();
  }

  private onStreamEvent(text: string): void {
    const pos = numberField(text, 'pos');
    if (!(pos > this.receivedPos)) return;
    this.receivedPos = pos;
    if (!this.synced) this.replayedEvents++;
    this.options.acks?.mark(this);
  }
}
