import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { commandOf, createCliContext, defaultServerUrl, type CliContext, type GlobalOptions } from './cli-context.js';
import { CliError } from './cli-error.js';
import { chat } from './commands/chat.js';
import { chats } from './commands/chats.js';
import { devices, revokeDevice } from './commands/devices.js';
import { groupAdd, groupCreate, groupLeave, groupMembers, groupRemove } from './commands/group.js';
import { history } from './commands/history.js';
import { link } from './commands/link.js';
import { listen } from './commands/listen.js';
import { login } from './commands/login.js';
import { logout } from './commands/logout.js';
import { read } from './commands/read.js';
import { register } from './commands/register.js';
import { send } from './commands/send.js';
import { cluster, invites, keys, serve } from './commands/serve.js';
import { whoami } from './commands/whoami.js';

type ContextOf = (command: Command) => CliContext;

/** Help after the command list, in the form of the command that is running (`parley`, `npx parley`, …). */
const moreHelp = (parley: string) => `
Groups: a <group> is a group's name (any case) or its id; ${parley} chats lists both.
  ${parley} group create Friends bob carol
  ${parley} send --group Friends "hi all"

A text that starts with "-": put -- before it, as in ${parley} send bob -- "-1 from me".

Another device: run ${parley} link on a device that is logged in, then on the new one
  ${parley} login --link-code ABCDE-FGHJK

${parley} listen marks your own messages: ✓ sent, ✓✓ delivered, ✓✓ read (said in words).`;

/** The CLI's version, from its package.json (beside dist/ and src/ alike). */
function cliVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** Commands that work on this machine, not on a server: `--server` means nothing to them, so it is refused rather than ignored. */
function refuseServerFlag(command: Command): void {
  if (command.optsWithGlobals<GlobalOptions>().server !== undefined) {
    throw new CliError(`--server does not apply to ${command.name()}: it names the server the chat commands talk to`);
  }
}

/** The `parley` command line. */
export function createProgram(env: NodeJS.ProcessEnv): Command {
  const program = new Command('parley')
    .description('Parley: chat from the terminal, or run the server')
    .version(cliVersion(), '-V, --version', 'print the version')
    .option('--server <url>', `server to register or log in on (env PARLEY_SERVER, default ${defaultServerUrl}); other commands use the profile's server and refuse a different one`)
    .option('--profile <name>', 'which saved login to use (env PARLEY_PROFILE, default "default")')
    .showHelpAfterError()
    .addHelpText('after', moreHelp(commandOf(env)));
  const contextOf: ContextOf = (command) => createCliContext(command.optsWithGlobals<GlobalOptions>(), env);

  program
    .command('serve [args...]')
    .description('run the server (see parley serve --help)')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (args: string[], _options: object, command: Command) => {
      refuseServerFlag(command);
      await serve(args);
    });
  program
    .command('keys <action> [args...]')
    .description('encryption at rest: "rotate" starts a new data key, "reencrypt" moves old rows to it (takes --data-dir, --master-key-file); "create-master-key --master-key-file FILE" makes the key a cluster\'s nodes share')
    .allowUnknownOption()
    .action(async (action: string, args: string[], _options: object, command: Command) => {
      refuseServerFlag(command);
      await keys(contextOf(command), [action, ...args]);
    });
  program
    .command('invites <action> [args...]')
    .description('registration by invite: "create" prints a new invite code (takes --uses N, --ttl-hours H, --data-dir, --master-key-file)')
    .allowUnknownOption()
    .action(async (action: string, args: string[], _options: object, command: Command) => {
      refuseServerFlag(command);
      await invites(contextOf(command), [action, ...args]);
    });
  program
    .command('cluster [args...]')
    .description('try a cluster on this machine: N nodes on the local PostgreSQL and NATS behind HAProxy, until Ctrl-C (--nodes 3 --port 8080; also --database-url, --nats-url, --data-dir)')
    .allowUnknownOption()
    .action(async (args: string[], _options: object, command: Command) => {
      refuseServerFlag(command);
      await cluster(contextOf(command), args);
    });
  addAccountCommands(program, contextOf);
  addChatCommands(program, contextOf);
  addGroupCommands(program, contextOf);
  return program;
}

function addAccountCommands(program: Command, contextOf: ContextOf): void {
  program
    .command('register <username>')
    .description('create an account and log in')
    .option('--password <password>', 'password (else env PARLEY_PASSWORD, else asked for)')
    .option('--display-name <name>', 'name shown to others')
    .option('--invite <code>', 'an invite code, on a server that admits new accounts by invite (env PARLEY_INVITE)')
    .action(async (username: string, options: { password?: string; displayName?: string; invite?: string }, command: Command) => {
      await register(contextOf(command), username, options);
    });

  program
    .command('login [username]')
    .description('log in, creating a device for this profile; with --link-code, no username or password')
    .option('--password <password>', 'password (else env PARLEY_PASSWORD, else asked for)')
    .option('--link-code <code>', 'a code from parley link on a device already logged in')
    .option('--device-name <name>', 'name of this device in the device list')
    .action(async (username: string | undefined, options: { password?: string; deviceName?: string; linkCode?: string }, command: Command) => {
      await login(contextOf(command), username, options);
    });

  program
    .command('whoami')
    .description('who this profile is logged in as, on which server, with which device')
    .action(async (_options: object, command: Command) => whoami(contextOf(command)));

  program
    .command('logout')
    .description('log out and revoke this device')
    .action(async (_options: object, command: Command) => logout(contextOf(command)));

  program
    .command('link')
    .description('print a one-time code that logs another device into this account (parley login --link-code)')
    .action(async (_options: object, command: Command) => {
      await link(contextOf(command));
    });

  const deviceCommand = program
    .command('devices')
    .description('list this account’s devices: id, name, created, last active, online, this one')
    .action(async (_options: object, command: Command) => {
      await devices(contextOf(command));
    });
  deviceCommand
    .command('revoke <device-id>')
    .description('log a device out at once (revoking this one logs out)')
    .action(async (deviceId: string, _options: object, command: Command) => revokeDevice(contextOf(command), deviceId));
}

function addChatCommands(program: Command, contextOf: ContextOf): void {
  program
    .command('chats')
    .description('list conversations and groups with unread counts')
    .action(async (_options: object, command: Command) => chats(contextOf(command)));

  program
    .command('send <to> <text>')
    .description('send a message to a user, or with --group to a group, and wait until the server has it')
    .option('-g, --group', '<to> is a group (its name or id), not a username')
    .addHelpText('after', '\nA text that starts with "-" goes after --: send bob -- "-1 from me"')
    .action(async (to: string, text: string, options: { group?: boolean }, command: Command) => {
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      await send(contextOf(command), to, text, { ...options, signal: stop.signal });
    });

  program
    .command('chat <to>')
    .description('chat with a user, or with --group in a group, in this terminal: history above, typing below, ticks as they come')
    .option('-g, --group', '<to> is a group (its name or id), not a username')
    .action(async (to: string, options: { group?: boolean }, command: Command) => {
      await chat(contextOf(command), to, options);
    });

  program
    .command('listen')
    .description('print messages, receipts (✓ ✓✓), typing and presence as they arrive, until Ctrl-C')
    .action(async (_options: object, command: Command) => {
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      await listen(contextOf(command), { signal: stop.signal });
    });

  program
    .command('read <to>')
    .description('mark a conversation with a user, or with --group a group, read (the senders see ✓✓ read)')
    .option('-g, --group', '<to> is a group (its name or id), not a username')
    .action(async (to: string, options: { group?: boolean }, command: Command) => {
      await read(contextOf(command), to, options);
    });

  program
    .command('history <to>')
    .description('print the newest messages with a user, or with --group in a group')
    .option('-g, --group', '<to> is a group (its name or id), not a username')
    .option('--limit <n>', 'how many messages', positiveInteger)
    .action(async (to: string, options: { limit?: number; group?: boolean }, command: Command) => {
      await history(contextOf(command), to, options);
    });
}

function addGroupCommands(program: Command, contextOf: ContextOf): void {
  const group = program.command('group').description('create groups and manage their members (<group>: name or id)');
  group
    .command('create <name> <usernames...>')
    .description('create a group with you as admin and these members')
    .action(async (name: string, usernames: string[], _options: object, command: Command) => {
      await groupCreate(contextOf(command), name, usernames);
    });
  group
    .command('add <group> <usernames...>')
    .description('add members (admins only)')
    .action(async (name: string, usernames: string[], _options: object, command: Command) => groupAdd(contextOf(command), name, usernames));
  group
    .command('remove <group> <username>')
    .description('remove a member (admins only)')
    .action(async (name: string, username: string, _options: object, command: Command) => groupRemove(contextOf(command), name, username));
  group
    .command('leave <group>')
    .description('leave a group')
    .action(async (name: string, _options: object, command: Command) => groupLeave(contextOf(command), name));
  group
    .command('members <group>')
    .description('list a group’s members and admins')
    .action(async (name: string, _options: object, command: Command) => groupMembers(contextOf(command), name));
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive integer');
  return number;
}
