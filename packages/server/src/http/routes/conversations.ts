import type { FastifyInstance } from 'fastify';
import {
  addMembersRequestSchema,
  counterSchema,
  createConversationRequestSchema,
  historyQuerySchema,
  serverIdSchema,
  updateConversationRequestSchema,
} from '@parley/protocol';
import { z } from 'zod';
import { addMembers, removeMember, renameGroup, setAdmin } from '../../chat/change-group.js';
import { createGroup } from '../../chat/create-group.js';
import { getConversation } from '../../chat/get-conversation.js';
import { getMessageReceipts } from '../../chat/get-message-receipts.js';
import { listConversations } from '../../chat/list-conversations.js';
import { openDirectConversation } from '../../chat/open-direct-conversation.js';
import { readHistory } from '../../chat/read-history.js';
import type { HttpDeps } from '../http-deps.js';
import { parse } from '../parse.js';
import { requireCaller } from '../require-caller.js';
import { conversationSummaryView, conversationView, messageReceiptsView, messageView } from '../views.js';

const conversationParamsSchema = z.object({ id: serverIdSchema });
const memberParamsSchema = z.object({ id: serverIdSchema, user: serverIdSchema });
const messageParamsSchema = z.object({ id: serverIdSchema, seq: z.coerce.number().pipe(counterSchema.min(1)) });

/** Conversations and their history, for members only: anyone else gets 404. */
export function conversationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { chat, presence } = deps;
  const details = async (caller: Parameters<typeof getConversation>[1], id: string) => {
    const found = await getConversation(chat, caller, id);
    return conversationView(found.conversation, found.members);
  };

  app.post('/v1/conversations', async (request, reply) => {
    const caller = await requireCaller(chat, request);
    const draft = parse(createConversationRequestSchema, request.body);
    if (draft.type === 'group') {
      const group = await createGroup(chat, caller, { name: draft.name, members: draft.members });
      return reply.status(201).send(await details(caller, group.id));
    }
    const { conversation, created } = await openDirectConversation(chat, caller, draft.peer);
    if (created) presence.introduce(caller.userId, draft.peer);
    return reply.status(created ? 201 : 200).send(await details(caller, conversation.id));
  });

  app.get('/v1/conversations', async (request) => {
    const caller = await requireCaller(chat, request);
    const summaries = await listConversations(chat, caller);
    const now = chat.clock.now();
    return { conversations: summaries.map((summary) => conversationSummaryView(summary, now)) };
  });

  app.get('/v1/conversations/:id', async (request) => {
    const caller = await requireCaller(chat, request);
    return details(caller, parse(conversationParamsSchema, request.params).id);
  });

  app.patch('/v1/conversations/:id', async (request) => {
    const caller = await requireCaller(chat, request);
    const { id } = parse(conversationParamsSchema, request.params);
    const { name } = parse(updateConversationRequestSchema, request.body);
    await renameGroup(chat, caller, id, name);
    return details(caller, id);
  });

  app.post('/v1/conversations/:id/members', async (request) => {
    const caller = await requireCaller(chat, request);
    const { id } = parse(conversationParamsSchema, request.params);
    const { members } = parse(addMembersRequestSchema, request.body);
    await addMembers(chat, caller, id, members);
    return details(caller, id);
  });

  app.delete('/v1/conversations/:id/members/:user', async (request, reply) => {
    const caller = await requireCaller(chat, request);
    const { id, user } = parse(memberParamsSchema, request.params);
    await removeMember(chat, caller, id, user);
    return reply.status(204).send();
  });

  for (const [method, admin] of [['PUT', true], ['DELETE', false]] as const) {
    app.route({
      method,
      url: '/v1/conversations/:id/admins/:user',
      handler: async (request) => {
        const caller = await requireCaller(chat, request);
        const { id, user } = parse(memberParamsSchema, request.params);
        await setAdmin(chat, caller, id, user, admin);
        return details(caller, id);
      },
    });
  }

  app.get('/v1/conversations/:id/messages', async (request) => {
    const caller = await requireCaller(chat, request);
    const { id } = parse(conversationParamsSchema, request.params);
    const query = parse(historyQuerySchema, request.query);
    const messages = await readHistory(chat, caller, id, query);
    return { messages: messages.map(messageView) };
  });

  app.get('/v1/conversations/:id/messages/:seq/receipts', async (request) => {
    const caller = await requireCaller(chat, request);
    const { id, seq } = parse(messageParamsSchema, request.params);
    return messageReceiptsView(id, seq, await getMessageReceipts(chat, caller, id, seq));
  });
}
