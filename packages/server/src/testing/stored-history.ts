import type { MessagePage, MessageView } from '@parley/protocol';
import { request } from './test-api.js';

/** Every message stored in a conversation, in ascending seq, read over HTTP page by page as a client would. */
export async function storedHistory(baseUrl: string, token: string, conversation: string): Promise<MessageView[]> {
  const messages: MessageView[] = [];
  for (;;) {
    const after = messages.at(-1)?.seq ?? 0;
    const page = await request<MessagePage>(baseUrl, 'GET', `/v1/conversations/${conversation}/messages?after=${after}&limit=200`, { token });
    if (page.status !== 200) throw new Error(`history refused: ${page.status} ${JSON.stringify(page.body)}`);
    if (page.body.messages.length === 0) return messages;
    messages.push(...page.body.messages);
  }
}
