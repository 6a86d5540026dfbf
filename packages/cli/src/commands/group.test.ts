import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import { startCliTestServer, type CliTestServer } from '../testing/test-cli-server.js';
import { chats } from './chats.js';
import { groupAdd, groupCreate, groupLeave, groupMembers, groupRemove } from './group.js';
import { history } from './history.js';
import { send } from './send.js';

let server: CliTestServer;
beforeAll(async () => {
  server = await startCliTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('parley group', () => {
  it('create makes a group that send --group and history --group reach, and chats lists with its unread count', async () => {
    const [alice, bob, carol] = await server.people('g', ['alice', 'bob', 'carol']);
    const group = await groupCreate(alice!, 'Trio', ['g_bob', '@G_CAROL']);
    expect(alice!.printed.at(-1)).toBe(`created group "Trio" (${group.id}) with @g_bob, @g_carol`);

    await send(alice!, 'trio', 'hello trio', { group: true });
    expect(alice!.printed.at(-1)).toBe('sent to "Trio": seq 1');
    await send(bob!, group.id, 'hi all', { group: true });

    await chats(carol!);
    expect(carol!.printed.at(-1)).toMatch(new RegExp(`^Trio \\(group ${group.id}\\)\\s+2 unread\\s+last seq 2$`));
    // Alice met bob and carol when she named them: her profile prints their names.
    await history(alice!, 'Trio', { group: true });
    expect(alice!.printed.slice(-2)).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] g_alice: hello trio$/),
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] g_bob: hi all$/),
    ]);
  });

  it('add brings a member in, remove and leave take members out', async () => {
    const [alice, bob, carol] = await server.people('m', ['alice', 'bob', 'carol']);
    await groupCreate(alice!, 'Club', ['m_bob']);
    await groupAdd(alice!, 'Club', ['m_carol']);
    expect(alice!.printed.at(-1)).toBe('added @m_carol to "Club"');
    await groupMembers(alice!, 'club');
    expect(alice!.printed.slice(-4)).toEqual([
      expect.stringMatching(/^"Club" \(c_.+\), 3 members:$/),
      '  @m_alice  admin (you)',
      '  @m_bob',
      '  @m_carol',
    ]);

    await groupRemove(alice!, 'Club', 'm_bob');
    expect(alice!.printed.at(-1)).toBe('removed @m_bob from "Club"');
    // A former member no longer has the group among their conversations.
    await expect(send(bob!, 'Club', 'still here?', { group: true })).rejects.toThrow('no group "Club"');
    await groupLeave(carol!, 'Club');
    expect(carol!.printed.at(-1)).toBe('left "Club"');
    await groupMembers(alice!, 'Club');
    expect(alice!.printed.at(-1)).toBe('  @m_alice  admin (you)');
  });

  it('asks for an id when two groups share the name, and names an unknown group', async () => {
    const [alice] = await server.people('n', ['alice', 'bob']);
    const first = await groupCreate(alice!, 'Twins', ['n_bob']);
    const second = await groupCreate(alice!, 'twins', ['n_bob']);
    const ambiguous = groupAdd(alice!, 'TWINS', ['n_bob']);
    await expect(ambiguous).rejects.toBeInstanceOf(CliError);
    await expect(ambiguous).rejects.toThrow(`2 groups are named "TWINS": give an id (${[second.id, first.id].join(', ')})`);
    await expect(groupLeave(alice!, 'Nope')).rejects.toThrow('no group "Nope": parley chats lists your groups');
  });
});
