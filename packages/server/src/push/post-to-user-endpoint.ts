import type { OutgoingHttpHeaders } from 'node:http';
import { httpPost } from './http-post.js';
import { outcomeOfFailure, outcomeOfStatus } from './outcome-of-status.js';
import type { PushOutcome } from './push-provider.js';
import { checkEndpointUrl, resolveSafeAddress, systemResolve, type Resolve } from './safe-address.js';

export interface UserEndpointPost {
  /** An address a user supplied (a webhook URL, a Web Push endpoint). */
  endpoint: string;
  allowPrivate: boolean;
  resolve?: Resolve | undefined;
  timeoutMs: number;
  headers: OutgoingHttpHeaders;
  body: string | Buffer;
  nowMs: number;
}

/**
 * The one way Parley posts to an address a user chose: the URL passes the
 * SSRF rule, its name is resolved and checked, and the request goes to the
 * checked address (a DNS change in between cannot redirect it), with no
 * redirects followed. Every failure becomes a push outcome.
 */
export async function postToUserEndpoint(post: UserEndpointPost): Promise<PushOutcome> {
  try {
    const url = checkEndpointUrl(post.endpoint, post.allowPrivate);
    const pinnedAddress = await resolveSafeAddress(url, post.allowPrivate, post.resolve ?? systemResolve);
    const response = await httpPost({ url, pinnedAddress, timeoutMs: post.timeoutMs, headers: post.headers, body: post.body });
    return outcomeOfStatus(response.status, response.headers, post.nowMs, response.body);
  } catch (error) {
    return outcomeOfFailure(error);
  }
}
