import type { PushTarget } from './push-model.js';

/**
 * What this server's push set-up accepts as a device's registration: a
 * provider it has credentials for and, for endpoints users supply, only what
 * the SSRF rule lets through. push/ implements it (push-target-policy.ts).
 */
export interface PushPolicy {
  /** Refuses with `bad_request` a target this server cannot or must not push to. */
  checkTarget(target: PushTarget): Promise<void>;
}
