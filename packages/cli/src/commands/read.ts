import { createNodeClient } from '@parley/client/node';
import type { ParleyApi } from '@parley/client';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { findConversation } from '../find-conversation.js';
import { signedIn, type Profile } from '../profile.js';
import { UserDirectory } from '../user-directory.js';
import { withTimeout } from '../with-timeout.js';

export interface ReadOptions {
  /** `to` names a group (its name or id) rather than a user. */
  group?: boolean;
  /** How long to wait until the server has the read. */
  timeoutMs?: number;
}

const readTimeoutDefaultMs = 10_000;

/**
 * `parley read <username>` or `parley read --group <group>`: marks the
 * conversation read up to its newest message, which sends read receipts
 * (✓✓ read) to the senders.
 */
export async function read(context: CliContext, to: string, options: ReadOptions = {}): Promise<void> {
  const { profile, api } = await signedIn(context);
  const directory = await UserDirectory.open(context, api);
  const target = await findConversation(api, to, options.group === true, directory, context.command);
  await directory.save();
  const conversation = target.conversation;
  if (conversation === undefined || conversation.unread === 0) {
    context.print(`nothing unread with ${target.label}`);
    return;
  }
  await markRead(profile, api, conversation.id, conversation.lastSeq, options.timeoutMs ?? readTimeoutDefaultMs);
  context.print(`read ${conversation.unread} with ${target.label} (up to seq ${conversation.lastSeq})`);
}

/** `read` is a WebSocket frame with no answer: the conversation list shows when the server has it. */
async function markRead(profile: Profile, api: ParleyApi, conversation: string, seq: number, timeoutMs: number): Promise<void> {
  // Send-only: the events waiting for this device stay for `parley listen`.
  const client = createNodeClient({ url: profile.server, token: profile.token, user: profile.userId, receiveEvents: false });
  const deadline = Date.now() + timeoutMs;
  try {
    await withTimeout(client.connect(), timeoutMs, `no answer from ${profile.server} within ${timeoutMs / 1000} s; is the server running?`);
    client.markRead(conversation, seq);
    for (;;) {
      const summary = (await api.conversations()).find((entry) => entry.id === conversation);
      if (summary === undefined || summary.readSeq >= seq) return;
      if (Date.now() > deadline) throw new CliError(`the server did not confirm the read within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.close();
  }
}
