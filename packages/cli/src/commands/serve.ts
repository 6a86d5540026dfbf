import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';

/**
 * `parley serve [...args]`: runs the server in this process. The server is
 * imported only in this file, so the other commands never load its code.
 */
export async function serve(args: string[]): Promise<void> {
  const server = await import('@parley/server');
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(`${serveHelp(server.describeSettings())}\n`);
    return;
  }
  await server.runServer(args).catch((error: unknown) => {
    throw listenProblem(error) ?? error;
  });
}

/** The address errors a first start meets most, in words that say what to do. */
function listenProblem(error: unknown): CliError | undefined {
  if (!(error instanceof Error) || !('code' in error) || !('address' in error) || !('port' in error)) return undefined;
  const where = `${String(error.address)}:${String(error.port)}`;
  if (error.code === 'EADDRINUSE') {
    return new CliError(`${where} is already in use by another program (another Parley server?): stop it, or choose another port with --port <n> (npm start -- --port <n>)`);
  }
  if (error.code === 'EACCES') {
    return new CliError(`not allowed to listen on ${where}: ports below 1024 need privileges; choose a port of 1024 or more with --port <n>, or give node the right (setcap cap_net_bind_service)`);
  }
  return undefined;
}

function serveHelp(settings: { flag: string; env: string; fallback: unknown; meaning: string }[]): string {
  const rows = settings.flatMap(({ flag, env, fallback, meaning }) => {
    const fallbackText = fallback === undefined ? 'none' : JSON.stringify(fallback);
    return [`  ${flag} <value>  (${env}, default ${fallbackText})`, `      ${meaning}`];
  });
  return [
    'Usage: parley serve [options]',
    '',
    'Runs the Parley server in this process until SIGTERM or Ctrl-C. Every setting',
    'is a flag or an environment variable; a flag wins. PORT and HOST are read too.',
    '',
    ...rows,
  ].join('\n');
}

/**
 * `parley keys rotate|reencrypt [...args]`: manages the data keys of
 * encryption at rest, on the server's data dir; safe beside a running server.
 * `parley keys create-master-key --master-key-file FILE`: a new master key
 * for a cluster's nodes to share.
 */
export async function keys(context: CliContext, args: string[]): Promise<void> {
  const server = await import('@parley/server');
  await server.runKeys(args, context.print, context.command);
}

/**
 * `parley invites create [--uses N] [--ttl-hours H]`: an invite code for
 * `--registration invite`, made on the server's data dir (takes --data-dir,
 * --master-key-file); safe beside a running server.
 */
export async function invites(context: CliContext, args: string[]): Promise<void> {
  const server = await import('@parley/server');
  const invite = await server.runInvites(args, context.command);
  const expiry = invite.expiresAt === null ? 'never expires' : `expires ${new Date(invite.expiresAt).toISOString()}`;
  context.print(invite.code);
  context.note(`an invite for ${invite.uses} account${invite.uses === 1 ? '' : 's'}; ${expiry}`);
  context.note(`to use it: ${context.command} register <username> --invite ${invite.code}`);
}

/**
 * `parley cluster [--nodes N] [--port P] …`: nodes and HAProxy on this
 * machine, on the local PostgreSQL and NATS, until Ctrl-C (see docs/cluster.md).
 */
export async function cluster(context: CliContext, args: string[]): Promise<void> {
  const server = await import('@parley/server');
  await server.runCluster(args, context.print);
}
