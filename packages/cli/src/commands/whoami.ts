import type { CliContext } from '../cli-context.js';
import { signedIn } from '../profile.js';
import { safeLine } from '../terminal-safe.js';

/** `parley whoami`: who this profile is logged in as, where, and with which device; asks the server, so a dead token shows. */
export async function whoami(context: CliContext): Promise<void> {
  const { profile, api } = await signedIn(context);
  const me = await api.me();
  context.print(`@${me.username} (${safeLine(me.displayName)}) on ${profile.server}, device ${profile.deviceId}, profile "${context.profileName}"`);
}
