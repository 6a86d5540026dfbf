import { createInvite } from './chat/create-invite.js';
import { SystemClock } from './clock/clock.js';
import { loadConfig } from './config.js';
import { openStore } from './open-store.js';

const hourMs = 60 * 60 * 1000;

/**
 * `parley invites create`: an invite code for registration by invite
 * (`--registration invite`), made on the server's data dir like `parley keys`,
 * so it needs the machine, not an account; safe beside a running server.
 * `--uses` (default 1) accounts may register with it, within `--ttl-hours`
 * (default 168, a week; 0: no expiry).
 */
export async function runInvites(argv: string[], command = 'parley'): Promise<{ code: string; uses: number; expiresAt: number | null }> {
  const usage = `usage: ${command} invites create [--uses N] [--ttl-hours H] [--data-dir DIR] [--master-key-file FILE]`;
  const [action, ...rest] = argv;
  if (action !== 'create') throw new Error(usage);
  const { uses, ttlHours, others } = inviteOptions(rest, usage);
  const store = await openStore(loadConfig(others, process.env), { besideServer: true });
  try {
    const invite = await createInvite({ store, clock: new SystemClock() }, { uses, ttlMs: ttlHours === 0 ? undefined : ttlHours * hourMs });
    return { ...invite, uses };
  } finally {
    await store.close();
  }
}

/** `--uses` and `--ttl-hours` are this command's; everything else is the server's configuration. */
function inviteOptions(args: string[], usage: string): { uses: number; ttlHours: number; others: string[] } {
  const values = new Map<string, number>([
    ['--uses', 1],
    ['--ttl-hours', 168],
  ]);
  const others: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const [name = '', inline] = (args[index] ?? '').split(/=(.*)/s);
    if (!values.has(name)) {
      others.push(args[index] ?? '');
      continue;
    }
    const text = inline ?? args[++index];
    const value = Number(text);
    const least = name === '--uses' ? 1 : 0;
    if (text === undefined || !Number.isSafeInteger(value) || value < least) throw new Error(`${name} must be a whole number of at least ${least}; ${usage}`);
    values.set(name, value);
  }
  return { uses: values.get('--uses') ?? 1, ttlHours: values.get('--ttl-hours') ?? 168, others };
}
