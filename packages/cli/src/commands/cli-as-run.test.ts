import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ParleyApi } from '@parley/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli-process.js';
import { startCliTestServer, testPassword, type CliTestServer } from '../testing/test-cli-server.js';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const run = promisify(execFile);

let server: CliTestServer;
beforeAll(async () => {
  server = await startCliTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('the parley command as a person runs it', () => {
  it('runs as npx parley in the clone and prints its version', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { stdout } = await run('npx', ['--no-install', 'parley', '--version'], { cwd: repositoryRoot });
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('prints hints in the form it was run with', async () => {
    const configDir = await server.configDir();
    const env = { ...process.env, PARLEY_CONFIG_DIR: configDir };
    const viaNpx = await run('npx', ['--no-install', 'parley', '--profile', 'zed', 'whoami'], { cwd: repositoryRoot, env }).catch((error: { stderr: string }) => error);
    expect(viaNpx.stderr).toContain('not logged in: run npx parley --profile zed login <username>');
    const viaNpmRun = await run('npm', ['run', '-s', 'parley', '--', 'whoami'], { cwd: repositoryRoot, env }).catch((error: { stderr: string }) => error);
    expect(viaNpmRun.stderr).toContain('not logged in: run npm run -s parley -- login <username>');
  });

  it('keeps its entry executable in git, so a fresh clone needs no chmod', async () => {
    const { stdout } = await run('git', ['ls-files', '-s', 'packages/cli/bin/parley.js'], { cwd: repositoryRoot });
    expect(stdout).toMatch(/^100755 /);
  });

  it('leaves one device after logging in twice on one profile', async () => {
    const [person] = await server.people('r', ['dana']);
    const options = { configDir: person!.configDir, env: { PARLEY_PASSWORD: testPassword } };
    const profile = ['--profile', person!.profileName];
    for (let attempt = 0; attempt < 2; attempt++) {
      const login = await runCli([...profile, 'login', 'r_dana'], options);
      expect(login.code, login.stderr).toBe(0);
    }
    const devices = await runCli([...profile, 'devices'], options);
    expect(devices.code, devices.stderr).toBe(0);
    expect(devices.stdout.trim().split('\n')).toEqual([expect.stringMatching(/parley cli on .* \(profile r-dana\).*\(this device\)$/)]);
  });

  it('fails every command when --server names a dead address', async () => {
    const [person] = await server.people('s', ['erin']);
    const options = { configDir: person!.configDir, env: { PARLEY_PASSWORD: testPassword } };
    const commands = [
      ['register', 'someone'], ['login', 's_erin'], ['whoami'], ['chats'], ['send', 's_erin', 'hi'], ['listen'], ['read', 's_erin'],
      ['history', 's_erin'], ['devices'], ['devices', 'revoke', 'd_x'], ['link'], ['logout'], ['group', 'create', 'G', 's_erin'],
      ['group', 'members', 'G'], ['chat', 's_erin'], ['serve'], ['keys', 'rotate'], ['invites', 'create'],
    ];
    for (const command of commands) {
      const result = await runCli(['--profile', person!.profileName, '--server', 'http://127.0.0.1:9', ...command], options);
      expect(result.code, `${command.join(' ')}: ${result.stdout}`).toBe(1);
      expect(result.stderr, command.join(' ')).toMatch(/127\.0\.0\.1:9|cannot reach|--server/);
    }
    const whoami = await runCli(['--profile', person!.profileName, 'whoami'], options);
    expect(whoami.stdout).toMatch(/^@s_erin /);
    // Port 9 is on fetch's list of bad ports; a port just freed refuses connections instead.
    const closed = await freedPort();
    const newcomer = await runCli(['--profile', 'newcomer', '--server', `http://127.0.0.1:${closed}`, 'register', 'someone'], options);
    expect(newcomer.stderr).toBe(`parley: cannot reach the server: connect ECONNREFUSED 127.0.0.1:${closed}; is a Parley server running at that address?\n`);
  });

  it('refuses a blank text before sending it, and says how to send a text that starts with -', async () => {
    const [person] = await server.people('b', ['finn', 'gus']);
    const options = { configDir: person!.configDir };
    for (const text of ['', '   ']) {
      const result = await runCli(['--profile', person!.profileName, 'send', 'b_gus', text], options);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/nothing to send: the text is empty or only white space/);
    }
    const dash = await runCli(['--profile', person!.profileName, 'send', 'b_gus', '--', '-1 from me'], options);
    expect(dash.code, dash.stderr).toBe(0);
    const unknownOption = await runCli(['--profile', person!.profileName, 'send', 'b_gus', '-1 from me'], options);
    expect(unknownOption.code).toBe(1);
    expect(unknownOption.stderr).toMatch(/goes after --/);
  });

  it('hints --group when a group name is given as a user', async () => {
    const [ana, ben] = await server.people('g', ['ana', 'ben']);
    await runCli(['--profile', ana!.profileName, 'group', 'create', 'Band', ben!.profileName.replace('-', '_')], { configDir: ana!.configDir });
    const result = await runCli(['--profile', ana!.profileName, 'send', 'Band', 'hi'], { configDir: ana!.configDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no user named "Band", but you have a group of that name: add --group/);
  });

  it('points at parley devices revoke when the account has all the devices it may have', async () => {
    await server.people('l', ['hana']);
    const api = new ParleyApi({ baseUrl: server.url });
    for (let device = 0; device < 4; device++) await api.login({ username: 'l_hana', password: testPassword, deviceName: `app ${device}` });
    const configDir = await server.configDir();
    const result = await runCli(['--server', server.url, 'login', 'l_hana'], { configDir, env: { PARLEY_PASSWORD: testPassword } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/as many devices as the server allows: see them with parley devices and free one with parley devices revoke <device-id>/);
  });
});

/** A port nothing listens on: taken from the kernel, then let go. */
async function freedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
