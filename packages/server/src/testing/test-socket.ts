import type { IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import type { ClientFrameInput, ServerFrame, StreamEvent } from '@parley/protocol';
import { readExactServerFrame } from './read-exact-server-frame.js';

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A raw protocol client for tests: it records every frame and lets a test
 * wait, with a bounded timeout, for the next frame that matches. A frame
 * outside the wire contract fails the test at its next wait.
 */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  /** Frames the server sent that break the wire contract, described. */
  readonly contractBreaks: string[] = [];
  readonly closed: Promise<Closed>;
  /** The headers of the server's handshake response (101). */
  upgradeHeaders: IncomingHttpHeaders = {};
  private readonly consumed = new Set<number>();
  private waiters: (() => void)[] = [];
  /** How the server closed the socket, once it has: named when a wait fails. */
  private closedWith: Closed | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.once('upgrade', (response) => (this.upgradeHeaders = response.headers));
    socket.on('message', (data) => {
      const read = readExactServerFrame(data.toString());
      if (read.ok) this.frames.push(read.frame);
      else this.contractBreaks.push(read.message);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        resolve(this.closedWith);
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  static open(baseUrl: string, options: WebSocket.ClientOptions = {}, path = '/v1/ws'): Promise<TestSocket> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, options);
    const client = new TestSocket(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Opens a socket, says hello and waits until the replay is done. */
  static async connect(baseUrl: string, token: string): Promise<TestSocket> {
    const client = await TestSocket.open(baseUrl);
    client.send({ type: 'hello', token, protocol: 1 });
    await client.next('synced');
    return client;
  }

  send(frame: ClientFrameInput | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next unread frame of that type (and matching `where`), waiting at most `timeoutMs`. */
  async next<T extends ServerFrame['type']>(
    type: T,
    where: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertContractKept();
      for (let index = 0; index < this.frames.length; index++) {
        const frame = this.frames[index] as ServerFrame;
        if (!this.consumed.has(index) && frame.type === type && where(frame as Extract<ServerFrame, { type: T }>)) {
          this.consumed.add(index);
          return frame as Extract<ServerFrame, { type: T }>;
        }
      }
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0 || this.socket.readyState === WebSocket.CLOSED) {
        const closed = this.closedWith === undefined ? '' : ` (closed with ${this.closedWith.code} ${JSON.stringify(this.closedWith.reason)})`;
        throw new Error(`no ${type} frame within ${timeoutMs} ms${closed}; got ${JSON.stringify(this.frames.slice(-5))}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remainingMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every stream event received so far, in arrival order. */
  events(): StreamEvent[] {
    this.assertContractKept();
    return this.frames.filter(
      (frame): frame is StreamEvent => frame.type === 'message' || frame.type === 'receipt' || frame.type === 'conversation',
    );
  }

  private assertContractKept(): void {
    if (this.contractBreaks.length > 0) throw new Error(this.contractBreaks.join('\n'));
  }

  close(): Promise<Closed> {
    this.socket.close();
    return this.closed;
  }
}
