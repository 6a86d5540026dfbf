import type { FastifyRequest } from 'fastify';
import { authenticateDevice } from '../chat/authenticate-device.js';
import type { Caller, ChatContext } from '../chat/chat-context.js';
import type { User } from '../chat/model.js';
import { ParleyError } from '../chat/parley-error.js';
import { recordActivity } from '../chat/record-activity.js';

/** Activity is written at most this often per device, so reads stay reads. */
const activityResolutionMs = 60 * 60 * 1000;

/** The device behind `Authorization: Bearer <token>`, or `unauthorized`. */
export async function requireCaller(chat: ChatContext, request: FastifyRequest): Promise<Caller & { user: User; username: string }> {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_-]{1,512})$/.exec(header);
  if (match?.[1] === undefined) throw new ParleyError('unauthorized', 'send Authorization: Bearer <device token>');
  const { user, device } = await authenticateDevice(chat, match[1]);
  const caller = { userId: user.id, deviceId: device.id, user, username: user.username };
  // A device used only over HTTP is active too; its token must not idle out.
  await recordActivity(chat, caller, device, device.ackedPos, activityResolutionMs);
  return caller;
}
