import { afterEach, describe, expect, it } from 'vitest';
import { connectToRelay, type RelayTestClient } from '../testing/relay-test-client.js';
import { startRelayServer, type RelayServer } from './relay-server.js';

describe('delivered receipts on the baseline relays', () => {
  let relay: RelayServer | undefined;
  const clients: RelayTestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await relay?.close();
    relay = undefined;
  });

  async function members(conversation: string, users: string[]): Promise<RelayTestClient[]> {
    relay = await startRelayServer();
    const url = relay.url;
    const connected = await Promise.all(users.map((user) => connectToRelay(url, `${user}|${conversation}`)));
    clients.push(...connected);
    return connected;
  }

  const receipts = (client: RelayTestClient) => client.frames.filter((frame) => frame.type === 'receipt');

  it('sends a group message’s sender one aggregate receipt once every member has acked it, none per member', async () => {
    const [sender, ...recipients] = await members('g_1', ['u_s', 'u_a', 'u_b', 'u_c']);
    if (sender === undefined) throw new Error('no sender');
    const delivered = recipients.map((recipient) => recipient.next('message'));
    sender.send({ type: 'send', id: 'm1', conversation: 'g_1', body: { text: 'hi' } });
    const events = await Promise.all(delivered);
    // Every member but the last acks; once the relay has handled those acks, the sender has had nothing.
    for (const [index, recipient] of recipients.slice(0, -1).entries()) {
      recipient.send({ type: 'ack', pos: events[index]?.pos });
      await recipient.roundTrip();
    }
    await sender.roundTrip();
    expect(receipts(sender)).toEqual([]);
    const receipt = sender.next('receipt');
    recipients.at(-1)?.send({ type: 'ack', pos: events.at(-1)?.pos });
    expect(await receipt).toEqual({ type: 'receipt', pos: 2, conversation: 'g_1', all: true, status: 'delivered', seq: 1 });
    await sender.roundTrip();
    expect(receipts(sender)).toHaveLength(1);
  });

  it('names the receiver in a direct conversation’s receipt, as 1:1 receipts do', async () => {
    const [sender, receiver] = await members('c_1', ['u_s', 'u_r']);
    if (sender === undefined || receiver === undefined) throw new Error('no pair');
    const message = receiver.next('message');
    sender.send({ type: 'send', id: 'm1', conversation: 'c_1', body: { text: 'hi' } });
    const receipt = sender.next('receipt');
    receiver.send({ type: 'ack', pos: (await message).pos });
    expect(await receipt).toEqual({ type: 'receipt', pos: 2, conversation: 'c_1', user: 'u_r', status: 'delivered', seq: 1 });
  });

  it('answers an ack that covers several messages with one cumulative receipt for the newest', async () => {
    const [sender, receiver] = await members('c_1', ['u_s', 'u_r']);
    if (sender === undefined || receiver === undefined) throw new Error('no pair');
    const answers = [1, 2, 3].map(() => sender.next('sent'));
    for (const id of ['m1', 'm2', 'm3']) sender.send({ type: 'send', id, conversation: 'c_1', body: { text: id } });
    await Promise.all(answers);
    await receiver.roundTrip();
    receiver.send({ type: 'ack', pos: 3 });
    await receiver.roundTrip();
    await sender.roundTrip();
    expect(receipts(sender)).toEqual([{ type: 'receipt', pos: 4, conversation: 'c_1', user: 'u_r', status: 'delivered', seq: 3 }]);
  });
});
