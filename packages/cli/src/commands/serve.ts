/**
 * `parley serve [...args]`: runs the server in this process. Imported only
 * here, so the other commands never load the server's code.
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
