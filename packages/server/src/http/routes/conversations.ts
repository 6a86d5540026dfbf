import type { FastifyInstance } from 'fastify';
import { createConversationRequestSchema, historyQuerySchema, serverIdSchema } from '@parley/protocol';
import { z } from 'zod';
import { getConversation } from '../../chat/get-conversation.js';
import { openDirectConversation } from '../../chat/open-direct-conversation.js';
import { ParleyError } from '../../chat/parley-error.js';
import { readHistory } from '../../chat/read-history.js';
import type { HttpDeps } from '../http-deps.js';
import { parse } from '../parse.js';
import { requireCaller } from '../require-caller.js';
import { conversationSummaryView, conversationView, messageView } from '../views.js';

const conversationParamsSchema = z.object({ id: serverIdSchema });

/** Conversations and their history, for members only: anyone else gets 404. */
export function conversationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/conversations', async (request, reply) => {
    const caller = await requireCaller(deps.chat, request);
    const draft = parse(createConversationRequestSchema, request.body);
    if (draft.type === 'group') throw new ParleyError('bad_request', 'group conversations are not available on this server yet');
    const { conversation, created } = await openDirectConversation(deps.chat, caller, draft.peer);
    const details = await getConversation(deps.chat, caller, conversation.id);
    return reply.status(created ? 201 : 200).send(conversationView(details.conversation, details.members));
  });

  app.get('/v1/conversations', async (request) => {
    const caller = await requireCaller(deps.chat, request);
    const summaries = await deps.chat.store.listConversations(caller.userId);
    return { conversations: summaries.map(conversationSummaryView) };
  });

  app.get('/v1/conversations/:id', async (request) => {
    const caller = await requireCaller(deps.chat, request);
    const { id } = parse(conversationParamsSchema, request.params);
    const details = await getConversation(deps.chat, caller, id);
    return conversationView(details.conversation, details.members);
  });

  app.get('/v1/conversations/:id/messages', async (request) => {
    const caller = await requireCaller(deps.chat, request);
    const { id } = parse(conversationParamsSchema, request.params);
    const query = parse(historyQuerySchema, request.query);
    const messages = await readHistory(deps.chat, caller, id, query);
    return { messages: messages.map(messageView) };
  });
}
