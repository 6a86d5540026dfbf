import { createNodeClient, FileStorage, type ConnectionState, type ParleyApi, type ParleyClient } from '@parley/client/node';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { ChatScreen } from '../chat-screen.js';
import { cliReconnectDelayMaxMs, reportConnection } from '../connection-reporter.js';
import { describeError } from '../describe-error.js';
import { findGroup } from '../find-group.js';
import { findUser } from '../find-user.js';
import { retryWhileUnavailable, unavailableNote } from '../retry-while-unavailable.js';
import { ListenPrinter } from '../listen-printer.js';
import { clientStatePath, loginCommand, signedIn } from '../profile.js';
import { safeLine } from '../terminal-safe.js';
import { UserDirectory } from '../user-directory.js';

export interface ChatOptions {
  /** `to` names a group (its name or id) rather than a user. */
  group?: boolean;
}

/** Messages of history shown above the input line when the chat opens. */
const openingHistoryMessages = 20;

/** How long opening a chat waits for a server whose store cannot write just now. */
const openTimeoutMs = 20_000;

/**
 * `parley chat <username>` or `parley chat --group <group>`: one conversation
 * in one terminal, for as long as the person likes: its recent history
 * above, a line to type in below, new messages and ticks (✓ sent, ✓✓
 * delivered, ✓✓ read; in a group, who has it and who read it) as they come,
 * who is typing in front of the prompt.
 * What the person sees is marked read. One process for the whole chat, not
 * one per message.
 */
export async function chat(context: CliContext, to: string, options: ChatOptions = {}): Promise<void> {
  const { profile, api } = await signedIn(context);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new CliError(`chat needs a terminal; from a script, use ${context.command} send and ${context.command} listen`);
  }
  const directory = await UserDirectory.open(context, api);
  directory.remember({ id: profile.userId, username: profile.username, displayName: profile.username });
  const target = await openTarget(context, api, to, options.group === true, directory);
  const history = await api.history(target.conversation, { limit: openingHistoryMessages });

  const client = createNodeClient({
    url: profile.server,
    token: profile.token,
    user: profile.userId,
    storage: new FileStorage(clientStatePath(context)),
    reconnectDelayMaxMs: cliReconnectDelayMaxMs,
  });
  let stop: (state: ConnectionState) => void = () => undefined;
  const stopped = new Promise<ConnectionState>((resolve) => (stop = resolve));
  const screen = new ChatScreen(process.stdout, {
    line: (text) => sendLine(client, screen, target, text, context),
    keypress: () => client.setTyping(target.conversation, true),
    close: () => stop('closed'),
  });
  const screenContext: CliContext = { ...context, print: (line) => screen.show(line), note: (line) => screen.show(line) };
  const printer = new ListenPrinter(screenContext, api, directory, profile.userId, { conversation: target.conversation, command: context.command });

  screen.show(`chat with ${target.label}: type a message and press Enter; Ctrl-C or Ctrl-D leaves`);
  let shownSeq = 0;
  for (const message of history.messages) {
    printer.message(message);
    shownSeq = Math.max(shownSeq, message.seq);
  }
  client.on('message', (message) => {
    if (message.conversation !== target.conversation) return printer.message(message);
    // The opening history may already have shown what the stream replays.
    if (message.seq <= shownSeq) return;
    shownSeq = message.seq;
    printer.message(message);
    if (message.sender !== profile.userId) client.markRead(target.conversation, message.seq);
  });
  client.on('status', (receipts) => printer.status(receipts));
  client.on('typing', () => showTyping(client, screen, directory, target.conversation));
  reportConnection(client, screenContext, profile.server, `connected as @${profile.username}`, stop);
  // In a group the stream says only when everyone has a message: who has it before that comes live while watched.
  if (options.group === true) client.watchReceipts(target.conversation);
  client.connect().catch(() => undefined);
  const latest = history.messages.at(-1);
  if (latest !== undefined && latest.sender !== profile.userId) client.on('synced', () => client.markRead(target.conversation, latest.seq));

  const reason = await stopped;
  screen.close();
  await client.close();
  await printer.flushed();
  await directory.save().catch(() => undefined);
  if (reason === 'unauthorized' || reason === 'revoked') {
    throw new CliError(`this device's login is no longer valid: run ${loginCommand(context, profile.username)}`);
  }
}

interface ChatTarget {
  conversation: string;
  label: string;
}

async function openTarget(context: CliContext, api: ParleyApi, to: string, group: boolean, directory: UserDirectory): Promise<ChatTarget> {
  if (group) {
    const found = await findGroup(api, to, context.command);
    return { conversation: found.id, label: `"${safeLine(found.name)}"` };
  }
  const peer = await findUser(api, to, context.command, directory);
  const conversation = await retryWhileUnavailable(() => api.openDirect(peer.id), Date.now() + openTimeoutMs, (delayMs) => context.note(unavailableNote(delayMs)));
  return { conversation: conversation.id, label: `@${peer.username}` };
}

/** Sends what was typed; the message shows (with its ✓) when the server has it, as every message does. */
function sendLine(client: ParleyClient, screen: ChatScreen, target: ChatTarget, text: string, context: CliContext): void {
  if (text.trim() === '') return;
  client.setTyping(target.conversation, false);
  client.send(target.conversation, { text }).catch((error: unknown) => {
    screen.show(`not sent to ${target.label}: ${describeError(error, context.command)}`);
  });
}

function showTyping(client: ParleyClient, screen: ChatScreen, directory: UserDirectory, conversation: string): void {
  const typing = client.typingIn(conversation);
  if (typing.length === 0) {
    screen.setStatus('');
    return;
  }
  Promise.all(typing.map((user) => directory.nameOf(user).catch(() => user))).then(
    (names) => screen.setStatus(`${names.map(safeLine).join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`),
    () => undefined,
  );
}
