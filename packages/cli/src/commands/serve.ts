import type { CliContext } from '../cli-context.js';

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
  await server.runServer(args);
}

function serveHelp(settings: { flag: string; env: string; fallback: unknown }[]): string {
  const rows = settings.map(({ flag, env, fallback }) => `  ${`${flag} <value>`.padEnd(34)} ${env.padEnd(32)} ${JSON.stringify(fallback)}`);
  return ['Usage: parley serve [options]', '', 'Every setting is a flag or an environment variable:', ...rows].join('\n');
}

/**
 * `parley keys rotate|reencrypt [...args]`: manages the data keys of
 * encryption at rest, on the server's data dir; safe beside a running server.
 */
export async function keys(args: string[]): Promise<void> {
  const server = await import('@parley/server');
  await server.runKeys(args);
}

/**
 * `parley invites create [--uses N] [--ttl-hours H]`: an invite code for
 * `--registration invite`, made on the server's data dir (takes --data-dir,
 * --master-key-file); safe beside a running server.
 */
export async function invites(context: CliContext, args: string[]): Promise<void> {
  const server = await import('@parley/server');
  const invite = await server.runInvites(args);
  const expiry = invite.expiresAt === null ? 'never expires' : `expires ${new Date(invite.expiresAt).toISOString()}`;
  context.print(invite.code);
  context.note(`an invite for ${invite.uses} account${invite.uses === 1 ? '' : 's'}; ${expiry}`);
  context.note(`to use it: ${context.command} register <username> --invite ${invite.code}`);
}
