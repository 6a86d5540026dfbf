import { Command, InvalidArgumentError } from 'commander';
import { createCliContext, defaultServerUrl, type CliContext, type GlobalOptions } from './cli-context.js';
import { chats } from './commands/chats.js';
import { history } from './commands/history.js';
import { listen } from './commands/listen.js';
import { login } from './commands/login.js';
import { logout } from './commands/logout.js';
import { register } from './commands/register.js';
import { send } from './commands/send.js';
import { serve } from './commands/serve.js';

/** The `parley` command line. */
export function createProgram(env: NodeJS.ProcessEnv): Command {
  const program = new Command('parley')
    .description('Parley: chat from the terminal, or run the server')
    .option('--server <url>', `server URL for register and login (env PARLEY_SERVER, default ${defaultServerUrl})`)
    .option('--profile <name>', 'which saved login to use (env PARLEY_PROFILE, default "default")')
    .showHelpAfterError();
  const contextOf = (command: Command): CliContext => createCliContext(command.optsWithGlobals<GlobalOptions>(), env);

  program
    .command('serve [args...]')
    .description('run the server (see parley serve --help)')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (args: string[]) => serve(args));

  program
    .command('register <username>')
    .description('create an account and log in')
    .option('--password <password>', 'password (else env PARLEY_PASSWORD, else asked for)')
    .option('--display-name <name>', 'name shown to others')
    .action(async (username: string, options: { password?: string; displayName?: string }, command: Command) => {
      await register(contextOf(command), username, options);
    });

  program
    .command('login <username>')
    .description('log in, creating a device for this profile')
    .option('--password <password>', 'password (else env PARLEY_PASSWORD, else asked for)')
    .option('--device-name <name>', 'name of this device in the device list')
    .action(async (username: string, options: { password?: string; deviceName?: string }, command: Command) => {
      await login(contextOf(command), username, options);
    });

  program
    .command('logout')
    .description('log out and revoke this device')
    .action(async (_options: object, command: Command) => logout(contextOf(command)));

  program
    .command('chats')
    .description('list conversations with unread counts')
    .action(async (_options: object, command: Command) => chats(contextOf(command)));

  program
    .command('send <username> <text>')
    .description('send a message and wait until the server has it')
    .action(async (username: string, text: string, _options: object, command: Command) => {
      await send(contextOf(command), username, text);
    });

  program
    .command('listen')
    .description('print messages as they arrive, until Ctrl-C')
    .action(async (_options: object, command: Command) => {
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      await listen(contextOf(command), { signal: stop.signal });
    });

  program
    .command('history <username>')
    .description('print the newest messages with a user')
    .option('--limit <n>', 'how many messages', positiveInteger)
    .action(async (username: string, options: { limit?: number }, command: Command) => {
      await history(contextOf(command), username, options);
    });

  return program;
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive integer');
  return number;
}
