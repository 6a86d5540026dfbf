import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface StandInResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A request the stand-in took and never answers: the service is slow, and the sender may die meanwhile. */
export interface HeldRequest {
  request: StandInRequest;
  /** The sender's port of the connection it came on: which process sent it. */
  remotePort: number;
  /** Resolves when the sender drops the connection (it died, or gave up). */
  dropped: Promise<void>;
}

export interface StandInHandler {
  /** Checks the request as the real service would; an answer here refuses it (and is what the service would say). */
  check(request: StandInRequest): StandInResponse | undefined;
  /** Takes a request that passed the checks and no scripted answer claimed: records it, answers success. */
  accept(request: StandInRequest): StandInResponse;
}

/**
 * A loopback HTTP/1.1 server for stand-ins of push services. Every request is
 * checked first; then a request awaited with `holdNext` is held unanswered,
 * else an answer queued with `respondNext` (a scripted failure) is used if
 * any, else the request is accepted.
 */
export class HttpStandIn {
  private readonly queued: { response: StandInResponse; pathPrefix: string }[] = [];
  private readonly holds: { pathPrefix: string; take: (held: HeldRequest) => void }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(handler: StandInHandler): Promise<HttpStandIn> {
    // The handlers run only once the instance below exists.
    const late: { standIn?: HttpStandIn } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received: StandInRequest = {
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks),
        };
        const refusal = handler.check(received);
        const hold = refusal === undefined ? late.standIn?.takeHold(received.path) : undefined;
        if (hold !== undefined) {
          const dropped = new Promise<void>((resolve) => response.once('close', () => resolve()));
          hold({ request: received, remotePort: request.socket.remotePort ?? 0, dropped });
          return;
        }
        const final = refusal ?? late.standIn?.takeScripted(received.path) ?? handler.accept(received);
        response.writeHead(final.status, final.headers ?? {});
        response.end(final.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    late.standIn = new HttpStandIn(server, `http://127.0.0.1:${port}`);
    return late.standIn;
  }

  /** The next request (to a path starting with `pathPrefix`) that passes the checks gets this answer instead of being accepted. */
  respondNext(response: StandInResponse, pathPrefix = '/'): void {
    this.queued.push({ response, pathPrefix });
  }

  /**
   * The next request (to a path starting with `pathPrefix`) that passes the
   * checks is held, never answered and not accepted; resolves when it comes.
   */
  holdNext(pathPrefix = '/'): Promise<HeldRequest> {
    return new Promise((take) => this.holds.push({ pathPrefix, take }));
  }

  private takeHold(path: string): ((held: HeldRequest) => void) | undefined {
    const index = this.holds.findIndex((hold) => path.startsWith(hold.pathPrefix));
    if (index < 0) return undefined;
    return this.holds.splice(index, 1)[0]?.take;
  }

  private takeScripted(path: string): StandInResponse | undefined {
    const index = this.queued.findIndex((scripted) => path.startsWith(scripted.pathPrefix));
    if (index < 0) return undefined;
    return this.queued.splice(index, 1)[0]?.response;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
