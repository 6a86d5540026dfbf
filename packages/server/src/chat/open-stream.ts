import type { ChatContext } from './chat-context.js';
import type { Device } from './model.js';
import { startStream } from './start-stream.js';

export interface OpenedStream {
  /** The replay starts after this pos. */
  afterPos: number;
  /** The device was away too long and restarts at the current pos (see startStream). */
  resync: boolean;
  /** The newest pos of the user's stream, for `welcome`. */
  pos: number;
}

/**
 * Where a connecting device's stream starts and where it ends now. Called
 * after the connection subscribed to the user's notices, so no entry can fall
 * between the pos read here and the first notice.
 */
export async function openStream(context: ChatContext, device: Device): Promise<OpenedStream> {
  const { afterPos, resync } = await startStream(context, device);
  const pos = await context.store.currentPos(device.userId);
  return { afterPos, resync, pos };
}
