/**
 * `parley serve [...args]`: runs the server in this process. Imported only
 * here, so the other commands never load the server's code.
 */
export async function serve(args: string[]): Promise<void> {
  const { runServer } = await import('@parley/server');
  await runServer(args);
}
