import type { PushProvidersView } from '@parley/protocol';
import { ParleyError } from '../chat/parley-error.js';
import type { PushPolicy } from '../chat/push-policy.js';
import type { PushProviderName, PushTarget } from '../chat/push-model.js';
import { checkEndpointUrl, resolveSafeAddress, systemResolve, UnsafeEndpointError, type Resolve } from './safe-address.js';

export interface PushTargetPolicyOptions {
  enabled: ReadonlySet<PushProviderName>;
  allowPrivate: boolean;
  vapidPublicKey?: string;
  resolve?: Resolve;
}

/** A P-256 public key, uncompressed: 0x04 then two 32-byte coordinates. */
const p256PublicKeyBytes = 65;
/** RFC 8291 §3.2: the authentication secret is 16 bytes. */
const authSecretBytes = 16;

/**
 * What devices may register to be woken with: refuses a provider that is off
 * and, for endpoints users supply, anything the SSRF rule refuses (also
 * checked again at every send, since DNS can change).
 */
export class PushTargetPolicy implements PushPolicy {
  constructor(private readonly options: PushTargetPolicyOptions) {}

  view(): PushProvidersView {
    const providers = (['fcm', 'apns', 'webpush', 'webhook'] as const).filter((name) => this.options.enabled.has(name));
    const { vapidPublicKey } = this.options;
    return { providers, ...(vapidPublicKey !== undefined && this.options.enabled.has('webpush') ? { vapidPublicKey } : {}) };
  }

  async checkTarget(target: PushTarget): Promise<void> {
    if (!this.options.enabled.has(target.provider)) {
      throw new ParleyError('bad_request', `push provider ${target.provider} is not configured on this server`);
    }
    if (target.provider === 'webpush') {
      checkKeyLength('keys.p256dh', target.keys.p256dh, p256PublicKeyBytes);
      checkKeyLength('keys.auth', target.keys.auth, authSecretBytes);
      await this.checkEndpoint('endpoint', target.endpoint);
    }
    if (target.provider === 'webhook') await this.checkEndpoint('url', target.url);
  }

  private async checkEndpoint(field: string, text: string): Promise<void> {
    const { allowPrivate } = this.options;
    try {
      await resolveSafeAddress(checkEndpointUrl(text, allowPrivate), allowPrivate, this.options.resolve ?? systemResolve);
    } catch (error) {
      if (error instanceof UnsafeEndpointError) throw new ParleyError('bad_request', `${field}: ${error.message}`);
      throw error;
    }
  }
}

function checkKeyLength(field: string, base64Url: string, bytes: number): void {
  if (Buffer.from(base64Url, 'base64url').length !== bytes) {
    throw new ParleyError('bad_request', `${field}: must be ${bytes} bytes, base64url`);
  }
}
