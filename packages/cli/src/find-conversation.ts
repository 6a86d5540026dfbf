import type { ConversationSummaryView, ParleyApi } from '@parley/client';
import { findGroup } from './find-group.js';
import { findUser } from './find-user.js';
import type { UserDirectory } from './user-directory.js';
import { safeLine } from './terminal-safe.js';

/** A conversation named on the command line, and how to name it back. */
export interface NamedConversation {
  /** Absent for a user with whom there is no direct conversation yet. */
  conversation?: ConversationSummaryView;
  /** `@bob` or `"Trio"`. */
  label: string;
}

/**
 * `to` is a username, or with `group` a group's name or id; a user met here is
 * remembered in `directory`. `command` is how the person runs the CLI, for hints.
 */
export async function findConversation(api: ParleyApi, to: string, group: boolean, directory: UserDirectory, command: string): Promise<NamedConversation> {
  if (group) {
    const found = await findGroup(api, to, command);
    return { conversation: found, label: `"${safeLine(found.name)}"` };
  }
  const peer = await findUser(api, to, command, directory);
  const direct = (await api.conversations()).find((conversation) => conversation.type === 'direct' && conversation.peer === peer.id);
  return { ...(direct === undefined ? {} : { conversation: direct }), label: `@${peer.username}` };
}
