import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anotherDevice, ClientPool } from './testing/client-pool.js';
import { nextEvent } from './testing/next-event.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import type { MessageReceipts } from './receipt-tracker.js';

let server: TestServer;
const pool = new ClientPool(() => server.url);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  await pool.closeAll();
});

/** Resolves once `check` resolves true, asking again every 20 ms for at most 5 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('receipt state at the sender', () => {
  it('moves a message to a group of three from sent to delivered to read with the aggregate receipts, naming who has it while watched', async () => {
    const [alice, bob, carol] = await Promise.all([server.signUp('alice'), server.signUp('bob'), server.signUp('carol')]);
    const [bobId, carolId] = [bob.session.user.id, carol.session.user.id];
    const both = [bobId, carolId].sort();
    const group = (await alice.api.createGroup('Trio', [bobId, carolId])).id;
    const aliceClient = pool.clientOf(alice);
    const statuses: MessageReceipts[] = [];
    aliceClient.on('status', (receipts) => statuses.push(receipts));
    await aliceClient.connect();
    expect(aliceClient.watchReceipts(group)).toBe(true);

    const sent = await aliceClient.send(group, { text: 'hello both' });
    expect(aliceClient.receiptsOf(group, sent.seq)).toEqual({ conversation: group, seq: sent.seq, status: 'sent', deliveredTo: [], readBy: [] });

    // Bob's client acks the message on its own, which delivers it to him: one of two, told live to the watching sender.
    const bobClient = pool.clientOf(bob);
    const deliveredToBob = nextEvent(aliceClient, 'status', (receipts) => receipts.deliveredTo.includes(bobId));
    await bobClient.connect();
    expect(await deliveredToBob).toMatchObject({ seq: sent.seq, status: 'sent', deliveredTo: [bobId], readBy: [] });

    const delivered = nextEvent(aliceClient, 'status', (receipts) => receipts.status === 'delivered');
    const carolClient = pool.clientOf(carol);
    await carolClient.connect();
    expect(await delivered).toMatchObject({ seq: sent.seq, deliveredTo: both, readBy: [] });

    const readByBob = nextEvent(aliceClient, 'status', (receipts) => receipts.readBy.length === 1);
    bobClient.markRead(group, sent.seq);
    expect(await readByBob).toMatchObject({ status: 'delivered', readBy: [bobId] });

    const read = nextEvent(aliceClient, 'status', (receipts) => receipts.status === 'read');
    carolClient.markRead(group, sent.seq);
    expect(await read).toMatchObject({ seq: sent.seq, deliveredTo: both, readBy: both });
    expect(aliceClient.receiptsOf(group, sent.seq).status).toBe('read');
    expect(statuses.map((receipts) => receipts.status)).toEqual(['sent', 'sent', 'delivered', 'delivered', 'read']);
  });

  it('loads who has a group message over HTTP when not watching, and asks again to watch after a reconnect', async () => {
    const [alice, bob, carol] = await Promise.all([server.signUp('alice'), server.signUp('bob'), server.signUp('carol')]);
    const [bobId, carolId] = [bob.session.user.id, carol.session.user.id];
    const group = (await alice.api.createGroup('Trio', [bobId, carolId])).id;
    const aliceClient = pool.clientOf(alice);
    await aliceClient.connect();
    const sent = await aliceClient.send(group, { text: 'anyone?' });
    const bobClient = pool.clientOf(bob);
    await bobClient.connect();
    await eventually(async () => (await aliceClient.loadReceiptDetail(group, sent.seq)).members.some((member) => member.user === bobId && member.delivered));
    expect(aliceClient.receiptsOf(group, sent.seq)).toMatchObject({ status: 'sent', deliveredTo: [bobId], readBy: [] });

    aliceClient.watchReceipts(group);
    const reconnected = nextEvent(aliceClient, 'synced');
    aliceClient.reconnectNow();
    await reconnected;
    const detail = nextEvent(aliceClient, 'receiptDetail');
    bobClient.markRead(group, sent.seq);
    expect(await detail).toEqual({ type: 'receipt_detail', conversation: group, user: bobId, status: 'read', seq: sent.seq });
    expect(aliceClient.receiptsOf(group, sent.seq)).toMatchObject({ status: 'sent', readBy: [bobId] });
  });

  it('shows a direct message as read once the peer reads it, and another device of the sender loads that state over HTTP', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const conversation = (await alice.api.openDirect(bob.session.user.id)).id;
    const aliceClient = pool.clientOf(alice);
    const bobClient = pool.clientOf(bob);
    await Promise.all([aliceClient.connect(), bobClient.connect()]);

    const bobGets = nextEvent(bobClient, 'message');
    const delivered = nextEvent(aliceClient, 'status', (receipts) => receipts.status === 'delivered');
    const sent = await aliceClient.send(conversation, { text: 'ping' });
    await bobGets;
    expect(await delivered).toMatchObject({ seq: sent.seq, deliveredTo: [bob.session.user.id] });
    const read = nextEvent(aliceClient, 'status', (receipts) => receipts.status === 'read');
    bobClient.markRead(conversation, sent.seq);
    await read;

    // A new device starts its stream now: the receipts before it come over HTTP.
    const laptop = pool.clientOf(await anotherDevice(server.url, alice, 'laptop'));
    await laptop.connect();
    expect(laptop.receiptsOf(conversation, sent.seq).status).toBe('sent');
    await laptop.loadReceipts(conversation);
    expect(laptop.receiptsOf(conversation, sent.seq)).toMatchObject({ status: 'read', readBy: [bob.session.user.id] });
  });
});
