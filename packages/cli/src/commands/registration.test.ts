import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli-process.js';
import { startCliTestServer, testPassword, type CliTestServer } from '../testing/test-cli-server.js';

let server: CliTestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** `parley register` in a new terminal, as a newcomer runs it. */
async function registerAs(username: string, url: string, configDir: string, ...extra: string[]) {
  return runCli(['--server', url, 'register', username, ...extra], { configDir, env: { PARLEY_PASSWORD: testPassword } });
}

describe('who may register', () => {
  it('refuses every sign-up when registration is closed, and says so', async () => {
    server = await startCliTestServer({ registration: 'closed' });
    const result = await registerAs('newcomer', server.url, await server.configDir());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('parley: registration is closed on this server: ask its admin for an account\n');
  });

  it('admits one account per invite code made by the admin command, and refuses the rest', async () => {
    server = await startCliTestServer({ registration: 'invite' });
    const configDir = await server.configDir();
    const withoutCode = await registerAs('nocode', server.url, configDir);
    expect(withoutCode.code).toBe(1);
    expect(withoutCode.stderr).toBe('parley: this server admits new accounts by invite only: ask its admin for an invite code, then run parley register nocode --invite <code>\n');

    const invite = await runCli(['invites', 'create', '--data-dir', server.dataDir], { configDir });
    expect(invite.code, invite.stderr).toBe(0);
    const code = invite.stdout.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    const invited = await registerAs('invited', server.url, configDir, '--invite', code.toLowerCase());
    expect(invited.code, invited.stderr).toBe(0);
    expect(invited.stdout).toMatch(/registered @invited/);
    const again = await registerAs('second', server.url, configDir, '--profile', 'second', '--invite', code);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/invite code is wrong, used up or expired/);
  });

  it('lets an invite code serve as many accounts as its --uses', async () => {
    server = await startCliTestServer({ registration: 'invite' });
    const configDir = await server.configDir();
    const invite = await runCli(['invites', 'create', '--uses', '2', '--ttl-hours', '1', '--data-dir', server.dataDir], { configDir });
    const code = invite.stdout.trim();
    expect(invite.stderr).toMatch(/an invite for 2 accounts; expires /);
    for (const name of ['first', 'second']) {
      const result = await registerAs(name, server.url, configDir, '--profile', name, '--invite', code);
      expect(result.code, result.stderr).toBe(0);
    }
  });

  it('prints the usage of invites and keys in the form the CLI was run with', async () => {
    server = await startCliTestServer({ registration: 'invite' });
    const options = { configDir: await server.configDir(), env: { npm_command: 'exec' } };
    const invites = await runCli(['invites', 'create', '--uses', '0', '--data-dir', server.dataDir], options);
    expect(invites.stderr).toBe('parley: --uses must be a whole number of at least 1; usage: npx parley invites create [--uses N] [--ttl-hours H] [--data-dir DIR] [--master-key-file FILE]\n');
    const keys = await runCli(['keys', 'spin', '--data-dir', server.dataDir], options);
    expect(keys.stderr).toBe('parley: usage: npx parley keys rotate|reencrypt [--data-dir DIR | --database-url URL] [--master-key-file FILE], or npx parley keys create-master-key --master-key-file FILE\n');
  });
});
