import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { serverIdSchema, changePasswordRequestSchema, updateMeRequestSchema, userSearchQuerySchema } from '@parley/protocol';
import { blockUser, unblockUser } from '../../chat/block-user.js';
import { changePassword } from '../../chat/change-password.js';
import { getUser } from '../../chat/get-user.js';
import { listBlocked } from '../../chat/list-blocked.js';
import { searchUsers } from '../../chat/search-users.js';
import { updateProfile } from '../../chat/update-profile.js';
import type { HttpDeps } from '../http-deps.js';
import { parse } from '../parse.js';
import { requireCaller } from '../require-caller.js';
import { meView, userView } from '../views.js';

const userParamsSchema = z.object({ user: serverIdSchema });

/** The caller's profile, password, privacy settings and block list, and finding other users. */
export function meRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/me', async (request) => {
    const caller = await requireCaller(deps.chat, request);
    return meView(caller.user);
  });

  app.patch('/v1/me', async (request) => {
    const caller = await requireCaller(deps.chat, request);
    const patch = parse(updateMeRequestSchema, request.body);
    return meView(await updateProfile(deps.chat, caller, patch));
  });

  app.put('/v1/me/password', async (request, reply) => {
    const caller = await requireCaller(deps.chat, request);
    await changePassword(deps.chat, caller, parse(changePasswordRequestSchema, request.body));
    return reply.status(204).send();
  });

  app.get('/v1/me/blocked', async (request) => {
    const caller = await requireCaller(deps.chat, request);
    return { users: await listBlocked(deps.chat, caller) };
  });

  app.put('/v1/me/blocked/:user', async (request, reply) => {
    const caller = await requireCaller(deps.chat, request);
    await blockUser(deps.chat, caller, parse(userParamsSchema, request.params).user);
    return reply.status(204).send();
  });

  app.delete('/v1/me/blocked/:user', async (request, reply) => {
    const caller = await requireCaller(deps.chat, request);
    await unblockUser(deps.chat, caller, parse(userParamsSchema, request.params).user);
    return reply.status(204).send();
  });

  app.get('/v1/users/:user', async (request) => {
    await requireCaller(deps.chat, request);
    return userView(await getUser(deps.chat, parse(userParamsSchema, request.params).user));
  });

  app.get('/v1/users', async (request) => {
    await requireCaller(deps.chat, request);
    const { query } = parse(userSearchQuerySchema, request.query);
    const users = await searchUsers(deps.chat, query);
    return { users: users.map(userView) };
  });
}
