import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import { describeError } from '../describe-error.js';
import { runCli } from '../testing/cli-process.js';
import { startCliTestServer, type CliTestServer } from '../testing/test-cli-server.js';
import { chats } from './chats.js';
import { devices, revokeDevice } from './devices.js';
import { link } from './link.js';
import { login } from './login.js';

let server: CliTestServer;
beforeAll(async () => {
  server = await startCliTestServer();
});
afterAll(async () => {
  await server.stop();
});

/** A time as `devices` prints it: the time of day, with the date when it is not today. */
const time = String.raw`(\d{4}-\d\d-\d\d )?\d\d:\d\d`;

/** The code in `Link code: ABCDE-FGHJK (expires in 60 s)`. */
function codeIn(line: string | undefined): string {
  const match = /^Link code: ([0-9A-Z]{5}-[0-9A-Z]{5}) \(expires in \d+ s\)$/.exec(line ?? '');
  if (!match?.[1]) throw new Error(`not a link code line: ${line}`);
  return match[1];
}

describe('devices and linking', () => {
  it('link prints a code that login --link-code turns into another device of the account, which devices lists', async () => {
    const [alice] = await server.people('d', ['alice']);
    await link(alice!);
    expect(alice!.printed.at(-1)).toMatch(/^Link code: [0-9A-Z]{5}-[0-9A-Z]{5} \(expires in 60 s\)$/);
    const tablet = server.profile(alice!, 'd-alice-tablet');
    const profile = await login(tablet, undefined, { linkCode: codeIn(alice!.printed.at(-1)).toLowerCase(), deviceName: 'tablet' });
    expect(tablet.printed.at(-1)).toMatch(/^logged in as @d_alice on http:\/\/127\.0\.0\.1:\d+ \(device d_.+, linked\)$/);

    const listed = await devices(alice!);
    expect(listed).toHaveLength(2);
    const lines = alice!.printed.slice(-2);
    expect(lines.find((line) => line.endsWith('(this device)'))).toMatch(new RegExp(`^d_\\S+ {2}parley cli on .+ {2}created ${time} {2}last active ${time} {2}offline {2}\\(this device\\)$`));
    expect(lines.find((line) => line.startsWith(profile.deviceId))).toMatch(new RegExp(` {2}tablet {2,}created ${time} {2}last active ${time} {2}offline$`));
  });

  it("link's hint for the new device names the server, so it runs as printed on a machine with no profile", async () => {
    const [alice] = await server.people('n', ['alice']);
    await link(alice!);
    const hint = alice!.noted.at(-1) ?? '';
    expect(hint).toBe(`on the new device: parley --server ${server.url} login --link-code ${codeIn(alice!.printed.at(-1))}`);
    const newMachine = await server.configDir();
    const run = await runCli(hint.replace('on the new device: parley ', '').split(' '), { configDir: newMachine });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^logged in as @n_alice on http:\/\/127\.0\.0\.1:\d+ \(device d_.+, linked\)$/m);
  });

  it('devices revoke logs the other device out, whose commands then say how to log in again', async () => {
    const [alice] = await server.people('r', ['alice']);
    await link(alice!);
    const tablet = server.profile(alice!, 'r-alice-tablet');
    const linked = await login(tablet, undefined, { linkCode: codeIn(alice!.printed.at(-1)), deviceName: 'tablet' });
    await revokeDevice(alice!, linked.deviceId);
    expect(alice!.printed.at(-1)).toBe(`revoked device ${linked.deviceId} (tablet)`);
    const refused = await chats(tablet).catch((error: unknown) => error);
    expect(describeError(refused)).toMatch(/: run parley login <username>$/);
    await expect(revokeDevice(alice!, 'd_nope')).rejects.toThrow('no device d_nope: parley devices lists them');
  });

  it('refuses a link code the second time, and a login with neither a username nor a code', async () => {
    const [alice] = await server.people('u', ['alice']);
    await link(alice!);
    const code = codeIn(alice!.printed.at(-1));
    await login(server.profile(alice!, 'u-first'), undefined, { linkCode: code });
    const again = login(server.profile(alice!, 'u-second'), undefined, { linkCode: code });
    await expect(again).rejects.toBeInstanceOf(CliError);
    await expect(again).rejects.toThrow('the link code is wrong, used or expired: run parley link again');
    await expect(login(server.profile(alice!, 'u-third'), undefined, {})).rejects.toThrow(/give a username, or --link-code/);
  });
});
