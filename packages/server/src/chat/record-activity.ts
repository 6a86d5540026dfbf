import { ackStream } from './ack-stream.js';
import type { Caller, ChatContext } from './chat-context.js';
import type { Device } from './model.js';

/**
 * Records that the device is in use (stream retention and token expiry count
 * active devices), unless that was recorded less than `resolutionMs` ago, so
 * reads stay reads and a phone on a flaky network does not write at each
 * reconnect. `pos` is the device's acked pos, which the write keeps.
 */
export async function recordActivity(context: ChatContext, caller: Caller, device: Device, pos: number, resolutionMs: number): Promise<void> {
  if (context.clock.now() - device.lastActiveAt > resolutionMs) await ackStream(context, caller, pos);
}
