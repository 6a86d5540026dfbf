import type { Caller, ChatContext } from './chat-context.js';
import type { PushTarget } from './push-model.js';
import { ParleyError } from './parley-error.js';

/** Where the caller's device is woken; `not_found` when it has no push registration. */
export async function getPushTarget(context: ChatContext, caller: Caller): Promise<PushTarget> {
  const registration = await context.store.getPushRegistration(caller.deviceId);
  if (registration === undefined) throw new ParleyError('not_found', 'this device has no push registration');
  return registration.target;
}
