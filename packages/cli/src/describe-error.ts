import { ParleyApiError, ParleySendError } from '@parley/client';
import { CliError } from './cli-error.js';

/** One line that tells the user what went wrong and, where there is one, what to do. */
export function describeError(error: unknown, command = 'parley'): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof ParleyApiError || error instanceof ParleySendError) {
    if (error.code === 'unauthorized') return `${error.message}: run ${command} login <username>`;
    if (error.code === 'rate_limited' && error instanceof ParleyApiError && error.retryAfterMs !== undefined) {
      return `${error.message}: try again in ${Math.ceil(error.retryAfterMs / 1000)} s`;
    }
    if (error.code === 'conflict' && /devices/.test(error.message)) {
      return `this account has as many devices as the server allows: see them with ${command} devices and free one with ${command} devices revoke <device-id> on a device that is logged in`;
    }
    return `${error.message} (${error.code})`;
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const hint = isUntrustedCertificate(error.cause)
      ? `; if the server's certificate is self-signed, trust it with NODE_EXTRA_CA_CERTS=<its certificate file> ${command} …`
      : hasCode(error.cause, 'ECONNREFUSED')
        ? '; is a Parley server running at that address?'
        : '';
    return `cannot reach the server${cause}${hint}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Node's codes for a certificate chain it cannot verify: what a self-signed certificate gets. */
const untrustedCertificateCodes = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

function isUntrustedCertificate(cause: unknown): boolean {
  return cause instanceof Error && 'code' in cause && typeof cause.code === 'string' && untrustedCertificateCodes.has(cause.code);
}

function hasCode(cause: unknown, code: string): boolean {
  return cause instanceof Error && 'code' in cause && cause.code === code;
}
