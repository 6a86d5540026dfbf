import { createNodeClient, FileStorage, type ConnectionState, type ParleyClient } from '@parley/client/node';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { cliReconnectDelayMaxMs, reportConnection } from '../connection-reporter.js';
import { ListenPrinter } from '../listen-printer.js';
import { clientStatePath, loginCommand, signedIn } from '../profile.js';
import { UserDirectory } from '../user-directory.js';

export interface ListenOptions {
  /** Stops listening when aborted (Ctrl-C in the terminal). */
  signal: AbortSignal;
}

/**
 * `parley listen`: prints every message as it arrives, those that came while
 * away first, until stopped; the user's own messages with ticks that follow
 * their receipts, who is typing and who comes and goes. The stream cursor
 * lives in the profile's state file, so a message printed once is not
 * printed again by the next listen.
 */
export async function listen(context: CliContext, options: ListenOptions): Promise<void> {
  const { profile, api } = await signedIn(context);
  const directory = await UserDirectory.open(context, api);
  directory.remember({ id: profile.userId, username: profile.username, displayName: profile.username });
  const client = createNodeClient({
    url: profile.server,
    token: profile.token,
    user: profile.userId,
    storage: new FileStorage(clientStatePath(context)),
    reconnectDelayMaxMs: cliReconnectDelayMaxMs,
  });
  const printer = new ListenPrinter(context, api, directory, profile.userId);
  printEvents(client, printer);
  const stopped = new Promise<ConnectionState>((resolve) => {
    options.signal.addEventListener('abort', () => resolve('closed'), { once: true });
    reportConnection(client, context, profile.server, `listening as @${profile.username} (Ctrl-C to stop)`, resolve);
  });
  client.on('resync', ({ messages }) => context.note(`was away too long: fetched ${messages} messages over HTTP`));
  context.note(`connecting to ${profile.server}…`);
  // Failures before the first sync are retried; a refused token arrives as a state, above.
  client.connect().catch(() => undefined);
  const reason = await stopped;
  await client.close();
  await printer.flushed();
  await directory.save().catch(() => undefined);
  const again = loginCommand(context, profile.username);
  if (reason === 'unauthorized') throw new CliError(`the server refused this device's token: run ${again}`);
  if (reason === 'revoked') throw new CliError(`this device was revoked: run ${again}`);
}

function printEvents(client: ParleyClient, printer: ListenPrinter): void {
  client.on('message', (message) => printer.message(message));
  client.on('history', (batch) => printer.history(batch));
  client.on('status', (receipts) => printer.status(receipts));
  client.on('typing', (event) => printer.typing(event));
  client.on('presence', (event) => printer.presence(event));
}
