import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createSecureServer,
  type Http2SecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { selfSignedCertificate } from '../self-signed.js';
import { verifyJwt, type StandInClock } from './jwt-parts.js';

export const apnsKeyId = 'ABC123DEFG';
export const apnsTeamId = 'DEF123GHIJ';
export const apnsTopic = 'app.parley.test';
/** APNs refuses a payload above 4 KiB. */
const payloadBytesMax = 4096;

export interface ApnsDelivery {
  token: string;
  headers: IncomingHttpHeaders;
  payload: { aps: Record<string, unknown>; conversation: string; count: number; seq: number };
}

interface ApnsAnswer {
  status: number;
  reason?: string;
}

/**
 * APNs over HTTP/2 and TLS (a self-signed certificate made for the test):
 * verifies the ES256 provider token (kid, iss, iat within the hour) with the
 * .p8 key's public half, and the headers and payload as APNs does.
 */
export class ApnsStandIn {
  readonly delivered: ApnsDelivery[] = [];
  readonly problems: string[] = [];
  /** Distinct provider tokens seen, and connections opened: APNs wants both few. */
  readonly providerTokens = new Set<string>();
  connectionsOpened = 0;
  private readonly queued: ApnsAnswer[] = [];
  private readonly sessions = new Set<ServerHttp2Session>();

  private constructor(
    private readonly server: Http2SecureServer,
    readonly url: string,
    /** PARLEY_APNS_KEY_FILE and PARLEY_APNS_CA_FILE for the server. */
    readonly keyFile: string,
    readonly caFile: string,
    private readonly publicKey: KeyObject,
    private readonly now: StandInClock,
  ) {}

  static async start(dir: string, now: StandInClock): Promise<ApnsStandIn> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const keyFile = join(dir, `AuthKey_${apnsKeyId}.p8`);
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const certificate = selfSignedCertificate(dir, 'apns');
    const server = createSecureServer({ key: readFileSync(certificate.keyPath), cert: certificate.cert });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const standIn = new ApnsStandIn(server, `https://127.0.0.1:${port}`, keyFile, certificate.certPath, publicKey, now);
    server.on('stream', (stream, headers) => standIn.handle(stream, headers));
    server.on('session', (session) => {
      standIn.sessions.add(session);
      standIn.connectionsOpened++;
      session.on('close', () => standIn.sessions.delete(session));
    });
    return standIn;
  }

  /** The next well-formed request gets this answer (a `reason` as APNs gives) instead of 200. */
  respondNext(status: number, reason?: string): void {
    this.queued.push({ status, ...(reason === undefined ? {} : { reason }) });
  }

  close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      const refusal = this.check(headers, body);
      const answer = refusal ?? this.queued.shift() ?? this.accept(headers, body);
      const responseHeaders = { ':status': answer.status, 'apns-id': randomUUID() };
      if (answer.reason === undefined) {
        stream.respond(responseHeaders, { endStream: true });
      } else {
        stream.respond({ ...responseHeaders, 'content-type': 'application/json' });
        stream.end(JSON.stringify({ reason: answer.reason, ...(answer.status === 410 ? { timestamp: Date.now() } : {}) }));
      }
    });
  }

  private check(headers: IncomingHttpHeaders, body: Buffer): ApnsAnswer | undefined {
    const refuse = (status: number, reason: string): ApnsAnswer => {
      this.problems.push(reason);
      return { status, reason };
    };
    if (headers[':method'] !== 'POST') return refuse(405, 'MethodNotAllowed');
    if (!/^\/3\/device\/[0-9a-f]{64,200}$/.test(String(headers[':path']))) return refuse(404, 'BadPath');
    const bearer = /^bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1];
    if (bearer === undefined) return refuse(403, 'MissingProviderToken');
    this.providerTokens.add(bearer);
    try {
      const { header, claims } = verifyJwt(bearer, 'ES256', this.publicKey);
      if (header.kid !== apnsKeyId || claims.iss !== apnsTeamId) return refuse(403, 'InvalidProviderToken');
      const ageSeconds = this.now() / 1000 - Number(claims.iat);
      if (ageSeconds > 3600 || ageSeconds < -300) return refuse(403, 'ExpiredProviderToken');
    } catch {
      return refuse(403, 'InvalidProviderToken');
    }
    if (headers['apns-topic'] !== apnsTopic) return refuse(400, 'BadTopic');
    const pushType = headers['apns-push-type'];
    if (pushType !== 'alert' && pushType !== 'background') return refuse(400, 'InvalidPushType');
    if (pushType === 'background' && headers['apns-priority'] !== '5') return refuse(400, 'BadPriority');
    if (Buffer.byteLength(String(headers['apns-collapse-id'] ?? '')) > 64) return refuse(400, 'BadCollapseId');
    if (body.length > payloadBytesMax) return refuse(413, 'PayloadTooLarge');
    try {
      const payload = JSON.parse(body.toString('utf8')) as { aps?: unknown };
      if (typeof payload.aps !== 'object' || payload.aps === null) return refuse(400, 'PayloadEmpty');
    } catch {
      return refuse(400, 'BadPayload');
    }
    return undefined;
  }

  private accept(headers: IncomingHttpHeaders, body: Buffer): ApnsAnswer {
    const token = String(headers[':path']).slice('/3/device/'.length);
    this.delivered.push({ token, headers, payload: JSON.parse(body.toString('utf8')) as ApnsDelivery['payload'] });
    return { status: 200 };
  }
}
