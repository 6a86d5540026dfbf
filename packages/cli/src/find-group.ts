import type { ConversationSummaryView, ParleyApi } from '@parley/client';
import { CliError } from './cli-error.js';
import { safeLine } from './terminal-safe.js';

/** The group named `nameOrId` (its id, or its name in any case), among the user's conversations. */
/** `command` is how the person runs the CLI, for the hint when there is no such group. */
export async function findGroup(api: ParleyApi, nameOrId: string, command: string): Promise<ConversationSummaryView> {
  const groups = (await api.conversations()).filter((conversation) => conversation.type === 'group');
  const byId = groups.find((group) => group.id === nameOrId);
  if (byId) return byId;
  const wanted = nameOrId.trim().toLowerCase();
  const named = groups.filter((group) => group.name.toLowerCase() === wanted);
  const [only] = named;
  if (only && named.length === 1) return only;
  if (named.length > 1) {
    throw new CliError(`${named.length} groups are named "${safeLine(nameOrId)}": give an id (${named.map((group) => group.id).join(', ')})`);
  }
  throw new CliError(`no group "${safeLine(nameOrId)}": ${command} chats lists your groups`);
}
