import type { Caller, ChatContext } from './chat-context.js';
import type { PushPolicy } from './push-policy.js';
import type { PushTarget } from './push-model.js';

/**
 * Sets where the caller's device is woken when it is offline, replacing what
 * it had; a target the server's push set-up refuses is `bad_request`.
 */
export async function registerPush(context: ChatContext, caller: Caller, target: PushTarget, policy: PushPolicy): Promise<void> {
  await policy.checkTarget(target);
  await context.store.setPushRegistration({ deviceId: caller.deviceId, userId: caller.userId, target, createdAt: context.clock.now() });
}
