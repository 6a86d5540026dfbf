import type { Caller, ChatContext } from './chat-context.js';

/** The caller's device is no longer woken by push; its pending notifications go too. */
export async function unregisterPush(context: ChatContext, caller: Caller): Promise<void> {
  await context.store.removePushRegistration(caller.deviceId);
}
