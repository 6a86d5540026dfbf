import type { ConnectionState, ParleyClient } from '@parley/client/node';
import type { CliContext } from './cli-context.js';

/**
 * The longest wait between reconnect attempts of the CLI. A person is
 * waiting at the terminal, so it is well below the protocol's 30 s, which
 * is sized for crowds of apps coming back at once.
 */
export const cliReconnectDelayMaxMs = 5_000;

/**
 * Tells the person at the terminal how the connection is doing: connected,
 * unreachable and when the next attempt is, back again. Calls `stop` with a
 * state after which retrying cannot help (a refused or revoked token).
 */
export function reportConnection(client: ParleyClient, context: CliContext, server: string, connected: string, stop: (state: ConnectionState) => void): void {
  let wasSynced = false;
  client.on('state', (state) => {
    if (state === 'synced') {
      context.note(wasSynced ? 'reconnected' : connected);
      wasSynced = true;
    } else if (state === 'unauthorized' || state === 'revoked') {
      stop(state);
    }
  });
  client.on('retry', ({ delayMs, attempt }) => {
    const lost = wasSynced && attempt === 1 ? 'connection lost; ' : '';
    context.note(`${lost}${server} unreachable; retrying in ${(delayMs / 1000).toFixed(1)} s`);
  });
}
