import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firebaseMessagingScope } from '../../push/google-access-token.js';
import { HttpStandIn, type StandInRequest, type StandInResponse } from './http-stand-in.js';
import { verifyJwt, type StandInClock } from './jwt-parts.js';

export const fcmProjectId = 'parley-test';
const privateKeyId = 'key-1';
const clientEmail = 'parley-push@parley-test.iam.gserviceaccount.com';

export interface FcmMessage {
  token: string;
  data: Record<string, string>;
  notification?: { title: string; body: string };
  android: { collapse_key: string; priority: string; ttl: string; notification?: { tag: string } };
}

/**
 * Google's OAuth2 token endpoint and the FCM HTTP v1 send endpoint in one
 * server. The token endpoint verifies the service-account assertion (RS256
 * with the account's key, iss, aud, scope, lifetime); the send endpoint takes
 * only tokens it issued and checks the v1 message shape.
 */
export class FcmStandIn {
  readonly delivered: FcmMessage[] = [];
  readonly problems: string[] = [];
  tokensIssued = 0;
  private readonly accessTokens = new Set<string>();

  private constructor(
    readonly http: HttpStandIn,
    private readonly publicKey: KeyObject,
    /** The service-account key file the server is given (PARLEY_FCM_SERVICE_ACCOUNT_FILE). */
    readonly serviceAccountFile: string,
    private readonly now: StandInClock,
  ) {}

  static async start(dir: string, now: StandInClock): Promise<FcmStandIn> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // The handlers run only once the instance below exists.
    const late: { standIn?: FcmStandIn } = {};
    const http = await HttpStandIn.start({
      check: (request) => late.standIn?.check(request),
      accept: (request) => late.standIn?.accept(request) ?? { status: 500 },
    });
    const serviceAccountFile = join(dir, 'service-account.json');
    writeFileSync(
      serviceAccountFile,
      JSON.stringify({
        type: 'service_account',
        project_id: fcmProjectId,
        private_key_id: privateKeyId,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        client_email: clientEmail,
        token_uri: `${http.url}/token`,
      }),
    );
    late.standIn = new FcmStandIn(http, publicKey, serviceAccountFile, now);
    return late.standIn;
  }

  get url(): string {
    return this.http.url;
  }

  private check(request: StandInRequest): StandInResponse | undefined {
    try {
      if (request.method !== 'POST') throw new Error(`method ${request.method}`);
      if (request.path === '/token') this.checkAssertion(request);
      else if (request.path === `/v1/projects/${fcmProjectId}/messages:send`) this.checkSend(request);
      else throw new Error(`no route ${request.path}`);
      return undefined;
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      this.problems.push(problem);
      const status = request.path === '/token' ? 400 : 401;
      return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: status, message: problem } }) };
    }
  }

  private accept(request: StandInRequest): StandInResponse {
    if (request.path === '/token') {
      const token = `ya29.${randomBytes(16).toString('base64url')}`;
      this.accessTokens.add(token);
      this.tokensIssued++;
      return json(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    const { message } = JSON.parse(request.body.toString('utf8')) as { message: FcmMessage };
    this.delivered.push(message);
    return json(200, { name: `projects/${fcmProjectId}/messages/${this.delivered.length}` });
  }

  private checkAssertion(request: StandInRequest): void {
    const form = new URLSearchParams(request.body.toString('utf8'));
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') throw new Error('grant_type is not jwt-bearer');
    const { header, claims } = verifyJwt(form.get('assertion') ?? '', 'RS256', this.publicKey);
    if (header.kid !== privateKeyId) throw new Error('kid is not the private_key_id');
    if (claims.iss !== clientEmail) throw new Error('iss is not the client_email');
    if (claims.aud !== `${this.http.url}/token`) throw new Error('aud is not the token_uri');
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(firebaseMessagingScope)) throw new Error('scope misses firebase.messaging');
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!(exp > iat && exp - iat <= 3600)) throw new Error('assertion lifetime is not within one hour');
    const nowSeconds = this.now() / 1000;
    if (Math.abs(iat - nowSeconds) > 300 || exp < nowSeconds) throw new Error('assertion is not current');
  }

  private checkSend(request: StandInRequest): void {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !this.accessTokens.has(bearer)) throw new Error('bearer token was not issued here');
    const { message } = JSON.parse(request.body.toString('utf8')) as { message?: FcmMessage };
    if (message === undefined || typeof message.token !== 'string') throw new Error('message.token is missing');
    if (Object.values(message.data ?? {}).some((value) => typeof value !== 'string')) throw new Error('data values must be strings');
    if (!/^\d+s$/.test(message.android?.ttl ?? '')) throw new Error('android.ttl must be a duration like "86400s"');
  }
}

function json(status: number, body: object): StandInResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** FCM's answer for a token that is no longer valid. */
export const fcmUnregistered: StandInResponse = json(404, {
  error: {
    code: 404,
    message: 'Requested entity was not found.',
    status: 'NOT_FOUND',
    details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }],
  },
});

export const fcmUnavailable: StandInResponse = {
  ...json(503, { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } }),
  headers: { 'content-type': 'application/json', 'retry-after': '1' },
};
