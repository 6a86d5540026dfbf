import { createNodeClient, type SentFrame } from '@parley/client/node';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { findGroup } from '../find-group.js';
import { findUser } from '../find-user.js';
import { signedIn, type Profile } from '../profile.js';
import { UserDirectory } from '../user-directory.js';
import { retryWhileUnavailable, unavailableNote } from '../retry-while-unavailable.js';
import { withTimeout } from '../with-timeout.js';
import type { ParleyApi } from '@parley/client';
import { safeLine } from '../terminal-safe.js';

export interface SendOptions {
  /** `to` names a group (its name or id) rather than a user. */
  group?: boolean;
  /** How long to wait for the server's answer before giving up. */
  timeoutMs?: number;
  /** Aborted by Ctrl-C: the command stops and says whether the message went out. */
  signal?: AbortSignal;
}

const sendTimeoutDefaultMs = 20_000;

/** How far a send got, for what to say when it is interrupted. */
interface Progress {
  label: string;
  /** The connection was up, so the message may have reached the server. */
  handedOver: boolean;
}

/** The conversation a message goes to, and how to name it to the person. */
interface Target {
  conversation: string;
  label: string;
}

/**
 * `parley send <username> <text>`, or `parley send --group <group> <text>`:
 * one message over the WebSocket; prints its seq once the server has it.
 */
export async function send(context: CliContext, to: string, text: string, options: SendOptions = {}): Promise<SentFrame> {
  if (text.trim() === '') throw new CliError('nothing to send: the text is empty or only white space');
  const { profile, api } = await signedIn(context);
  const progress: Progress = { label: options.group === true ? `"${safeLine(to)}"` : `@${safeLine(to)}`, handedOver: false };
  const timeoutMs = options.timeoutMs ?? sendTimeoutDefaultMs;
  const deadline = Date.now() + timeoutMs;
  const sending = (async () => {
    const target = options.group === true ? await groupTarget(context, api, to) : await directTarget(context, api, to, deadline);
    progress.label = target.label;
    return sendOnce(context, profile, target, text, Math.max(0, deadline - Date.now()), progress);
  })();
  const interrupted = new Promise<never>((_, reject) => {
    options.signal?.addEventListener('abort', () => reject(new CliError(interruptedMessage(progress, context.command))), { once: true });
  });
  const sent = await Promise.race([sending, interrupted]);
  context.print(`sent to ${progress.label}: seq ${sent.seq}`);
  return sent;
}

async function groupTarget(context: CliContext, api: ParleyApi, nameOrId: string): Promise<Target> {
  const group = await findGroup(api, nameOrId, context.command);
  return { conversation: group.id, label: `"${safeLine(group.name)}"` };
}

async function directTarget(context: CliContext, api: ParleyApi, username: string, deadline: number): Promise<Target> {
  const directory = await UserDirectory.open(context, api);
  const peer = await findUser(api, username, context.command, directory);
  const conversation = await retryWhileUnavailable(() => api.openDirect(peer.id), deadline, (delayMs) => context.note(unavailableNote(delayMs)));
  await directory.save();
  return { conversation: conversation.id, label: `@${peer.username}` };
}

async function sendOnce(context: CliContext, profile: Profile, target: Target, text: string, timeoutMs: number, progress: Progress): Promise<SentFrame> {
  // Send-only: the events waiting for this device stay for `parley listen`.
  const client = createNodeClient({ url: profile.server, token: profile.token, user: profile.userId, receiveEvents: false });
  client.on('state', (state) => {
    if (state === 'synced') progress.handedOver = true;
  });
  let unavailable = false;
  client.on('sendDelayed', (frame) => {
    if (frame.code !== 'unavailable' || unavailable) return;
    unavailable = true;
    context.note(unavailableNote(frame.retryAfterMs ?? 1_000));
  });
  try {
    // A refused token also rejects the send, which is the error worth reporting.
    client.connect().catch(() => undefined);
    const within = `within ${Math.ceil(timeoutMs / 1000)} s`;
    const notSent = () =>
      unavailable
        ? `${profile.server} could not store the message ${within} (its disk is full or its database busy): the message to ${target.label} was not sent`
        : `no answer from ${profile.server} ${within}; is the server running? The message to ${target.label} was not sent`;
    return await withTimeout(client.send(target.conversation, { text }), timeoutMs, notSent);
  } finally {
    await client.close();
  }
}

/** What Ctrl-C left behind: before the connection was up nothing went out; after, the server may have it. */
function interruptedMessage(progress: Progress, command: string): string {
  if (!progress.handedOver) return `interrupted before the message to ${progress.label} was sent: it did not go out`;
  return `interrupted before the server confirmed the message to ${progress.label}: it may have arrived; ${command} history shows whether it did`;
}
