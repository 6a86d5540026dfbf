import { homedir } from 'node:os';
import { join } from 'node:path';

/** What every command gets: where to talk to, whose profile, and where to write. */
export interface CliContext {
  /** `--server` or `PARLEY_SERVER`; when absent, the profile's server, else `defaultServerUrl`. */
  serverOverride?: string;
  profileName: string;
  configDir: string;
  env: NodeJS.ProcessEnv;
  /** How the person started this CLI (`parley`, `npx parley`, `npm run -s parley --`): hints use it so they run as printed. */
  command: string;
  /** Output: one line of the command's result, on stdout. */
  print(line: string): void;
  /** Status and progress for the person at the terminal, on stderr. */
  note(line: string): void;
}

export const defaultServerUrl = 'http://127.0.0.1:8080';

export interface GlobalOptions {
  server?: string;
  profile?: string;
}

export function createCliContext(options: GlobalOptions, env: NodeJS.ProcessEnv): CliContext {
  const serverOverride = options.server ?? env.PARLEY_SERVER;
  return {
    ...(serverOverride === undefined || serverOverride === '' ? {} : { serverOverride }),
    profileName: options.profile ?? env.PARLEY_PROFILE ?? 'default',
    configDir: configDirOf(env),
    env,
    command: commandOf(env),
    print: (line) => process.stdout.write(`${line}\n`),
    note: (line) => process.stderr.write(`${line}\n`),
  };
}

function configDirOf(env: NodeJS.ProcessEnv): string {
  if (env.PARLEY_CONFIG_DIR) return env.PARLEY_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'parley');
}

/** The command line that started this process, as far as npm tells: `npm run parley` and `npx` set these variables. */
export function commandOf(env: NodeJS.ProcessEnv): string {
  if (env.npm_lifecycle_event === 'parley') return 'npm run -s parley --';
  if (env.npm_command === 'exec') return 'npx parley';
  return 'parley';
}
