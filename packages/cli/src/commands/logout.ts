import { ParleyApiError } from '@parley/client';
import type { CliContext } from '../cli-context.js';
import { removeProfile, signedIn } from '../profile.js';

/** `parley logout`: revokes this device on the server and forgets the profile. */
export async function logout(context: CliContext): Promise<void> {
  const { profile, api } = await signedIn(context);
  try {
    await api.logout();
  } catch (error) {
    // A token the server no longer knows is as logged out as it gets; anything else is a failure.
    if (!(error instanceof ParleyApiError && error.code === 'unauthorized')) throw error;
  }
  await removeProfile(context);
  context.print(`logged out @${profile.username}`);
}
