import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';

export interface Http2Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** APNs answers with a small JSON reason; more than this is cut. */
const responseBytesMax = 16 * 1024;

/**
 * One HTTP/2 connection per origin, kept open between requests as APNs asks
 * (opening one per notification is treated as a denial-of-service attack).
 * A connection that closes, fails or receives GOAWAY is replaced on the next
 * request.
 */
export class Http2Connections {
  private readonly sessions = new Map<string, ClientHttp2Session>();

  constructor(private readonly ca: Buffer | undefined) {}

  post(origin: string, headers: OutgoingHttpHeaders, body: string, timeoutMs: number): Promise<Http2Response> {
    const session = this.session(origin);
    return new Promise((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ...headers, 'content-length': Buffer.byteLength(body) });
      const chunks: Buffer[] = [];
      let bytes = 0;
      let status = 0;
      let responseHeaders: IncomingHttpHeaders = {};
      stream.setTimeout(timeoutMs, () => stream.close(constants.NGHTTP2_CANCEL));
      stream.on('response', (received) => {
        responseHeaders = received;
        status = Number(received[':status'] ?? 0);
      });
      stream.on('data', (chunk: Buffer) => {
        if (bytes < responseBytesMax) chunks.push(chunk.subarray(0, responseBytesMax - bytes));
        bytes += chunk.length;
      });
      stream.on('error', reject);
      stream.on('close', () => {
        if (status === 0) reject(new Error(`no answer from ${origin} within ${timeoutMs} ms or the stream was reset`));
        else resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      stream.end(body);
    });
  }

  close(): Promise<void> {
    const closing = [...this.sessions.values()].map((session) => new Promise<void>((resolve) => session.close(() => resolve())));
    this.sessions.clear();
    return Promise.all(closing).then(() => undefined);
  }

  private session(origin: string): ClientHttp2Session {
    const existing = this.sessions.get(origin);
    if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;
    const session = connect(origin, this.ca === undefined ? {} : { ca: this.ca });
    const forget = () => {
      if (this.sessions.get(origin) === session) this.sessions.delete(origin);
    };
    // Errors reach the pending streams; the session only has to be dropped.
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    // An idle connection must not keep the process alive at shutdown.
    session.unref();
    this.sessions.set(origin, session);
    return session;
  }
}
