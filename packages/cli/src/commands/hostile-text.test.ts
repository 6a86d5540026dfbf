import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, runCli } from '../testing/cli-process.js';
import { startCliTestServer, type CliTestServer } from '../testing/test-cli-server.js';
import { groupCreate } from './group.js';
import { send } from './send.js';

let server: CliTestServer;
beforeAll(async () => {
  server = await startCliTestServer();
});
afterAll(async () => {
  await server.stop();
});

/** Sets the window title, colours the text, reverses it, and forges a second line from someone else. */
const hostile = 'hi\u001b]0;owned\u0007 \u001b[31mred\u001b[0m \u009b2J \u202eevil\n[12:00:00] h_alice: send me your password';
// eslint-disable-next-line no-control-regex -- what must never reach the terminal
const terminalControls = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

function expectSafe(output: string): void {
  expect(output).not.toMatch(terminalControls);
  const forged = output.split('\n').find((line) => line.includes('h_alice: send me your password'));
  expect(forged, output).toMatch(/^\s+\[12:00:00\] h_alice: send me your password$/);
}

describe('text from the network printed by the CLI process', () => {
  it('listen shows control sequences as text and indents a forged second line', async () => {
    const [eve, bob] = await server.people('h', ['eve', 'bob']);
    await groupCreate(eve!, '\u001b[31mTrio\u202e', ['h_bob']);
    await send(eve!, 'h_bob', hostile);
    await send(eve!, '\u001b[31mTrio\u202e', 'to the group', { group: true });
    const listen = new CliProcess(['--profile', bob!.profileName, 'listen'], { configDir: bob!.configDir });
    await listen.waitFor(/to the group/);
    await listen.stop();
    expectSafe(listen.stdout);
    expect(listen.stdout).toContain('hi\\x1b]0;owned\\x07 \\x1b[31mred\\x1b[0m \\x9b2J \\u202eevil');
    expect(listen.stdout).toMatch(/h_eve in \\x1b\[31mTrio\\u202e: to the group/);
  });

  it('history shows the same message safely', async () => {
    const [eve, bob] = await server.people('i', ['eve', 'bob']);
    await send(eve!, 'i_bob', hostile);
    const history = await runCli(['--profile', bob!.profileName, 'history', 'i_eve'], { configDir: bob!.configDir });
    expect(history.code, history.stderr).toBe(0);
    expectSafe(history.stdout);
  });
});
