import { verifyWebhook, webhookSignatureHeader, webhookTimestampHeader } from '../../push/webhook-signature.js';
import type { WebhookPayload } from '../../push/webhook-provider.js';
import { HttpStandIn, type StandInRequest, type StandInResponse } from './http-stand-in.js';
import type { StandInClock } from './jwt-parts.js';

/** A webhook receiver that verifies the HMAC signature and the timestamp as a receiver should. */
export class WebhookStandIn {
  readonly delivered: { path: string; payload: WebhookPayload }[] = [];
  readonly problems: string[] = [];

  private constructor(
    readonly http: HttpStandIn,
    readonly secret: string,
    private readonly now: StandInClock,
  ) {}

  static async start(secret: string, now: StandInClock): Promise<WebhookStandIn> {
    // The handlers run only once the instance below exists.
    const late: { standIn?: WebhookStandIn } = {};
    const http = await HttpStandIn.start({
      check: (request) => late.standIn?.check(request),
      accept: (request) => late.standIn?.accept(request) ?? { status: 500 },
    });
    late.standIn = new WebhookStandIn(http, secret, now);
    return late.standIn;
  }

  urlFor(name: string): string {
    return `${this.http.url}/hooks/${name}`;
  }

  private check(request: StandInRequest): StandInResponse | undefined {
    const refuse = (problem: string): StandInResponse => {
      this.problems.push(problem);
      return { status: 401, body: problem };
    };
    if (request.method !== 'POST') return refuse(`method ${request.method}`);
    if (request.headers['content-type'] !== 'application/json') return refuse('content-type is not application/json');
    const signature = header(request, webhookSignatureHeader);
    const timestamp = header(request, webhookTimestampHeader);
    if (!verifyWebhook(this.secret, signature, timestamp, request.body.toString('utf8'), this.now())) return refuse('bad signature');
    return undefined;
  }

  private accept(request: StandInRequest): StandInResponse {
    this.delivered.push({ path: request.path, payload: JSON.parse(request.body.toString('utf8')) as WebhookPayload });
    return { status: 204 };
  }
}

function header(request: StandInRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
