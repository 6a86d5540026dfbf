import { createNodeClient, type ParleyClient } from '@parley/client/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../profile.js';
import { cliEntry } from '../testing/cli-process.js';
import { startCliTestServer, type CliTestServer } from '../testing/test-cli-server.js';
import { eventually, type TestContext } from '../testing/test-context.js';
import { TerminalSession } from '../testing/terminal-session.js';
import { groupCreate } from './group.js';

let server: CliTestServer;
let terminal: TerminalSession | undefined;
const apps: ParleyClient[] = [];
beforeAll(async () => {
  server = await startCliTestServer();
});
afterEach(async () => {
  await terminal?.close();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
afterAll(async () => {
  await server.stop();
});

/** The person's account in another app, connected. */
async function appOf(person: TestContext): Promise<ParleyClient> {
  const profile = await loadProfile(person);
  const client = createNodeClient({ url: profile!.server, token: profile!.token });
  apps.push(client);
  await client.connect();
  return client;
}

function chatIn(person: TestContext, ...target: string[]): Promise<TerminalSession> {
  return TerminalSession.start([process.execPath, cliEntry, '--profile', person.profileName, 'chat', ...target], { PARLEY_CONFIG_DIR: person.configDir, NO_COLOR: '1' });
}

describe('parley chat in a terminal', () => {
  it('sends what is typed and ticks it as delivered and read; shows and marks read what comes in', async () => {
    const [ann, bea] = await server.people('k', ['ann', 'bea']);
    terminal = await chatIn(ann!, 'k_bea');
    await terminal.waitFor(/connected as @k_ann/);

    await terminal.type('hello bea', 'Enter');
    await terminal.waitFor(/\] k_ann: hello bea ✓$/m);
    const beaApp = await appOf(bea!);
    await terminal.waitFor(/^✓✓ delivered: "hello bea"$/m);
    const [conversation] = await beaApp.api.conversations();
    beaApp.markRead(conversation!.id, conversation!.lastSeq);
    await terminal.waitFor(/^✓✓ read: "hello bea"$/m);

    const answer = await beaApp.send(conversation!.id, { text: 'hi ann' });
    await terminal.waitFor(/\] k_bea: hi ann$/m);
    await eventually(() => beaApp.receiptsOf(conversation!.id, answer.seq).status === 'read', 'the chat marks what it shows read');

    expect(beaApp.setTyping(conversation!.id, true)).toBe(true);
    await terminal.waitFor(/^k_bea is typing… >\s*$/m);
    await terminal.type('C-c');
    await terminal.exited();
  });

  it('opens a group chat with its history above the input line, and names who has a message before everyone has', async () => {
    const [cam, dan] = await server.people('m', ['cam', 'dan', 'eve']);
    const group = await groupCreate(cam!, 'Crew', ['m_dan', 'm_eve']);
    const danApp = await appOf(dan!);
    await danApp.send(group.id, { text: 'before you came' });
    terminal = await chatIn(cam!, '--group', 'crew');
    const screen = await terminal.waitFor(/connected as @m_cam/);
    expect(screen).toMatch(/^chat with "Crew"/m);
    expect(screen).toMatch(/\] m_dan in Crew: before you came$/m);
    await terminal.type('hi crew', 'Enter');
    // eve is not connected: one tick, and the name of the one who has it, told live because the chat watches the group.
    await terminal.waitFor(/^✓ delivered to @m_dan: "hi crew"$/m);
    await terminal.type('C-d');
    await terminal.exited();
  });
});
