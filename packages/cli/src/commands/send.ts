import { createNodeClient, type SentFrame } from '@parley/client/node';
import type { CliContext } from '../cli-context.js';
import { findGroup } from '../find-group.js';
import { findUser } from '../find-user.js';
import { signedIn, type Profile } from '../profile.js';
import { UserDirectory } from '../user-directory.js';
import { withTimeout } from '../with-timeout.js';
import type { ParleyApi } from '@parley/client';
import { safeLine } from '../terminal-safe.js';

export interface SendOptions {
  /** `to` names a group (its name or id) rather than a user. */
  group?: boolean;
  /** How long to wait for the server's answer before giving up. */
  timeoutMs?: number;
}

const sendTimeoutDefaultMs = 20_000;

/**
 * `parley send <username> <text>`, or `parley send --group <group> <text>`:
 * one message over the WebSocket; prints its seq once the server has it.
 */
export async function send(context: CliContext, to: string, text: string, options: SendOptions = {}): Promise<SentFrame> {
  const { profile, api } = await signedIn(context);
  const target = options.group === true ? await groupTarget(context, api, to) : await directTarget(context, api, to);
  const sent = await sendOnce(profile, target.conversation, text, options.timeoutMs ?? sendTimeoutDefaultMs);
  context.print(`sent to ${target.label}: seq ${sent.seq}`);
  return sent;
}

async function groupTarget(context: CliContext, api: ParleyApi, nameOrId: string): Promise<{ conversation: string; label: string }> {
  const group = await findGroup(api, nameOrId, context.command);
  return { conversation: group.id, label: `"${safeLine(group.name)}"` };
}

async function directTarget(context: CliContext, api: ParleyApi, username: string): Promise<{ conversation: string; label: string }> {
  const directory = await UserDirectory.open(context, api);
  const peer = await findUser(api, username, context.command, directory);
  const conversation = await api.openDirect(peer.id);
  await directory.save();
  return { conversation: conversation.id, label: `@${peer.username}` };
}

async function sendOnce(profile: Profile, conversation: string, text: string, timeoutMs: number): Promise<SentFrame> {
  // Send-only: the events waiting for this device stay for `parley listen`.
  const client = createNodeClient({ url: profile.server, token: profile.token, receiveEvents: false });
  try {
    // A refused token also rejects the send, which is the error worth reporting.
    client.connect().catch(() => undefined);
    const noAnswer = `no answer from ${profile.server} within ${timeoutMs / 1000} s; is the server running?`;
    return await withTimeout(client.send(conversation, { text }), timeoutMs, noAnswer);
  } finally {
    await client.close();
  }
}
