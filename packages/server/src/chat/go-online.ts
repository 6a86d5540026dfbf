import type { Caller, ChatContext } from './chat-context.js';

export interface Online {
  /** Ends this connection's mark of the device as online (its socket closed). */
  goOffline: () => void;
  /** Settles once the device's pending push jobs are cancelled; nothing waits for it. */
  pushJobsCancelled: Promise<void>;
}

/**
 * A device's socket was authenticated: it is marked online on the bus (push
 * skips online devices; `GET /v1/devices` and presence read the same record),
 * then its pending push jobs are cancelled. In that order, so a job claimed
 * in between sees the device online and is skipped.
 */
export function goOnline(context: ChatContext, caller: Caller): Online {
  const goOffline = context.bus.markDeviceOnline(caller.userId, caller.deviceId);
  const pushJobsCancelled = context.store.cancelPushJobs(caller.deviceId).then(() => undefined);
  return { goOffline, pushJobsCancelled };
}
