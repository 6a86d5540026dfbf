import type { FastifyInstance } from 'fastify';
import { muteRequestSchema, pushRegistrationRequestSchema, serverIdSchema } from '@parley/protocol';
import { z } from 'zod';
import { getPushTarget } from '../../chat/get-push-target.js';
import { muteConversation } from '../../chat/mute-conversation.js';
import { registerPush } from '../../chat/register-push.js';
import { unregisterPush } from '../../chat/unregister-push.js';
import type { HttpDeps } from '../http-deps.js';
import { parse } from '../parse.js';
import { requireCaller } from '../require-caller.js';

const conversationParamsSchema = z.object({ id: serverIdSchema });

/** Push: what the server can push with, this device's registration, and muting a conversation. */
export function pushRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { chat, pushPolicy } = deps;

  app.get('/v1/push', async (request) => {
    await requireCaller(chat, request);
    return deps.pushProviders;
  });

  app.get('/v1/devices/current/push', async (request) => {
    const caller = await requireCaller(chat, request);
    return getPushTarget(chat, caller);
  });

  app.put('/v1/devices/current/push', async (request, reply) => {
    const caller = await requireCaller(chat, request);
    await registerPush(chat, caller, parse(pushRegistrationRequestSchema, request.body), pushPolicy);
    return reply.status(204).send();
  });

  app.delete('/v1/devices/current/push', async (request, reply) => {
    const caller = await requireCaller(chat, request);
    await unregisterPush(chat, caller);
    return reply.status(204).send();
  });

  app.put('/v1/conversations/:id/mute', async (request, reply) => {
    const caller = await requireCaller(chat, request);
    const { id } = parse(conversationParamsSchema, request.params);
    const { until } = parse(muteRequestSchema, request.body);
    await muteConversation(chat, caller, id, until);
    return reply.status(204).send();
  });
}
