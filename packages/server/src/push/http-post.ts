import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import type { Agent as HttpAgent } from 'node:http';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './safe-address.js';

/** What push services answer is small; more than this is cut (the status is what matters). */
const responseBytesMax = 64 * 1024;

export interface PostRequest {
  url: URL;
  headers: OutgoingHttpHeaders;
  body: string | Buffer;
  /** The socket may stay silent this long before the request fails. */
  timeoutMs: number;
  /** Connect to this address, checked beforehand, instead of resolving the host again. */
  pinnedAddress?: ResolvedAddress;
  /** Keeps connections to a service open between notifications. */
  agent?: HttpAgent | HttpsAgent;
  /** Extra trusted CA certificates (PEM), for a stand-in or a TLS-inspecting proxy. */
  ca?: Buffer;
}

export interface PostResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text, at most `responseBytesMax` bytes of it. */
  body: string;
}

/**
 * One POST over HTTP/1.1. Redirects are not followed (a 3xx is returned like
 * any status): a push endpoint that redirects could point anywhere. Rejects
 * only for network failures and timeouts.
 */
export function httpPost(request: PostRequest): Promise<PostResponse> {
  const { url, pinnedAddress } = request;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      ...(request.agent === undefined ? {} : { agent: request.agent }),
      ...(request.ca === undefined ? {} : { ca: request.ca }),
      ...(pinnedAddress === undefined ? {} : { lookup: pinnedLookup(pinnedAddress) }),
    });
    outgoing.setTimeout(request.timeoutMs, () => outgoing.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      const finish = () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk.subarray(0, responseBytesMax - bytes));
        bytes += chunk.length;
        // An endpoint that streams without end must not hold the sender: stop reading.
        if (bytes >= responseBytesMax) {
          finish();
          response.destroy();
        }
      });
      response.on('error', reject);
      response.on('end', finish);
    });
    outgoing.end(request.body);
  });
}

/** A DNS lookup that answers with the address already checked; the TLS name check still uses the URL's host. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all === true) {
      (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, [pinned]);
    } else {
      callback(null, pinned.address, pinned.family);
    }
  };
}
