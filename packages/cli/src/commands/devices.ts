import type { DeviceView } from '@parley/client';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTime } from '../format-time.js';
import { removeProfile, signedIn } from '../profile.js';
import { safeLine } from '../terminal-safe.js';

/** `parley devices`: the account's devices, this one marked. */
export async function devices(context: CliContext): Promise<DeviceView[]> {
  const { api } = await signedIn(context);
  const list = await api.devices();
  const now = Date.now();
  for (const device of list) {
    const columns = [
      device.id,
      safeLine(device.name).padEnd(24),
      `created ${formatTime(device.createdAt, now)}`,
      `last active ${formatTime(device.lastActiveAt, now)}`,
      device.online ? 'online ' : 'offline',
    ];
    context.print(`${columns.join('  ')}${device.current ? '  (this device)' : ''}`);
  }
  return list;
}

/** `parley devices revoke <id>`: logs that device out at once; revoking this one is a logout. */
export async function revokeDevice(context: CliContext, deviceId: string): Promise<void> {
  const { profile, api } = await signedIn(context);
  const device = (await api.devices()).find((candidate) => candidate.id === deviceId);
  if (!device) throw new CliError(`no device ${deviceId}: ${context.command} devices lists them`);
  await api.revokeDevice(device.id);
  if (device.id === profile.deviceId) {
    await removeProfile(context);
    context.print(`revoked this device (${safeLine(device.name)}); logged out @${profile.username}`);
    return;
  }
  context.print(`revoked device ${device.id} (${safeLine(device.name)})`);
}
