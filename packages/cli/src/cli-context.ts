import { homedir } from 'node:os';
import { join } from 'node:path';

/** What every command gets: where to talk to, whose profile, and where to write. */
export interface CliContext {
  /** `--server` or `PARLEY_SERVER`; when absent, the profile's server, else `defaultServerUrl`. */
  serverOverride?: string;
  profileName: string;
  configDir: string;
  env: NodeJS.ProcessEnv;
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
    print: (line) => process.stdout.write(`${line}\n`),
    note: (line) => process.stderr.write(`${line}\n`),
  };
}

function configDirOf(env: NodeJS.ProcessEnv): string {
  if (env.PARLEY_CONFIG_DIR) return env.PARLEY_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'parley');
}
