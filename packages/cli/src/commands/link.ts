import type { LinkCodeView } from '@parley/client';
import type { CliContext } from '../cli-context.js';
import { defaultServerUrl } from '../cli-context.js';
import { sameServer, signedIn } from '../profile.js';

/** `parley link`: a one-time code that logs a new device into this account. */
export async function link(context: CliContext): Promise<LinkCodeView> {
  const { profile, api } = await signedIn(context);
  const created = await api.createLinkCode();
  const code = readable(created.code);
  const seconds = Math.max(0, Math.round((created.expiresAt - Date.now()) / 1000));
  context.print(`Link code: ${code} (expires in ${seconds} s)`);
  // The new device has no profile yet, so it knows the server only if it is the default one.
  const server = sameServer(profile.server, defaultServerUrl) ? '' : ` --server ${profile.server}`;
  context.note(`on the new device: ${context.command}${server} login --link-code ${code}`);
  return created;
}

/** Codes are shown as two groups of five (`ABCDE-FGHJK`); the server ignores dashes when reading them. */
function readable(code: string): string {
  return /^[0-9A-Z]{10}$/.test(code) ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}
