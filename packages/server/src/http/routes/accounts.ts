import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loginRequestSchema, registerRequestSchema } from '@parley/protocol';
import { redeemLinkCode } from '../../chat/link-device.js';
import { logIn } from '../../chat/log-in.js';
import { ParleyError } from '../../chat/parley-error.js';
import { registerAccount } from '../../chat/register-account.js';
import { revokeDevice } from '../../chat/revoke-device.js';
import { throttleLogin } from '../../chat/throttle-login.js';
import { clientAddress } from '../../edge/client-address.js';
import type { HttpDeps } from '../http-deps.js';
import { parse } from '../parse.js';
import { requireCaller } from '../require-caller.js';
import { deviceView, userView } from '../views.js';

/** Registration, login or linking (each a new device), and logout (revoking the current device). */
export function accountRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const addressOf = (request: FastifyRequest) => clientAddress(request.raw, deps.trustProxy);
  const throttle = (request: FastifyRequest) => {
    const waitMs = deps.authLimiter.take(addressOf(request));
    if (waitMs > 0) throw new ParleyError('rate_limited', 'too many attempts from this address', waitMs);
  };

  app.post('/v1/accounts', async (request, reply) => {
    throttle(request);
    const registration = parse(registerRequestSchema, request.body);
    const user = await registerAccount(deps.chat, registration, deps.registration);
    return reply.status(201).send(userView(user));
  });

  app.post('/v1/sessions', async (request, reply) => {
    throttle(request);
    const attempt = parse(loginRequestSchema, request.body);
    const address = addressOf(request);
    const session =
      'linkCode' in attempt
        ? await throttleLogin(deps.chat, { keys: [`ip:${address}`] }, () => redeemLinkCode(deps.chat, attempt.linkCode, attempt.deviceName))
        : await throttleLogin(deps.chat, { keys: [`ip:${address}`, `account:${attempt.username}`], clearOnSuccess: `account:${attempt.username}` }, () =>
            logIn(deps.chat, attempt),
          );
    return reply.status(201).send({
      token: session.token,
      user: userView(session.user),
      device: deviceView(session.device, session.device.id, false),
    });
  });

  app.delete('/v1/sessions/current', async (request, reply) => {
    const caller = await requireCaller(deps.chat, request);
    await revokeDevice(deps.chat, caller, caller.deviceId);
    return reply.status(204).send();
  });
}
