import type { FastifyInstance } from 'fastify';
import { serverIdSchema } from '@parley/protocol';
import { z } from 'zod';
import { createLinkCode } from '../../chat/link-device.js';
import { listDevices } from '../../chat/list-devices.js';
import { ParleyError } from '../../chat/parley-error.js';
import { revokeDevice } from '../../chat/revoke-device.js';
import type { HttpDeps } from '../http-deps.js';
import { parse } from '../parse.js';
import { requireCaller } from '../require-caller.js';
import { deviceView } from '../views.js';

const deviceParamsSchema = z.object({ id: serverIdSchema });

/** The caller's own devices: list, revoke, and link a new one with a code. */
export function deviceRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/devices/link-codes', async (request, reply) => {
    const caller = await requireCaller(deps.chat, request);
    const waitMs = deps.linkCodeLimiter.take(caller.userId);
    if (waitMs > 0) throw new ParleyError('rate_limited', 'too many link codes', waitMs);
    return reply.status(201).send(await createLinkCode(deps.chat, caller, deps.linkCodeTtlMs));
  });

  app.get('/v1/devices', async (request) => {
    const caller = await requireCaller(deps.chat, request);
    const devices = await listDevices(deps.chat, caller);
    return { devices: devices.map(({ device, online }) => deviceView(device, caller.deviceId, online)) };
  });

  app.delete('/v1/devices/:id', async (request, reply) => {
    const caller = await requireCaller(deps.chat, request);
    const { id } = parse(deviceParamsSchema, request.params);
    await revokeDevice(deps.chat, caller, id);
    return reply.status(204).send();
  });
}
