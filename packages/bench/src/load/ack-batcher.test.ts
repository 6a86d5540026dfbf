import { describe, expect, it } from 'vitest';
import { AckBatcher, type Ackable } from './ack-batcher.js';

interface FakeSocket extends Ackable {
  receivedPos: number;
  acks: number[];
}

function fakeSocket(): FakeSocket {
  const acks: number[] = [];
  return { receivedPos: 0, ackedPos: 0, acks, sendAck: (pos) => acks.push(pos) };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the ack batcher', () => {
  it('sends one cumulative ack per socket per event-loop turn, with the newest pos', async () => {
    const batcher = new AckBatcher();
    const socket = fakeSocket();
    for (let pos = 1; pos <= 50; pos++) {
      socket.receivedPos = pos;
      batcher.mark(socket);
    }
    await nextTurn();
    expect(socket.acks).toEqual([50]);
  });

  it('acks nothing again when nothing new arrived', async () => {
    const batcher = new AckBatcher();
    const socket = fakeSocket();
    socket.receivedPos = 3;
    batcher.mark(socket);
    await nextTurn();
    batcher.mark(socket);
    await nextTurn();
    expect(socket.acks).toEqual([3]);
  });

  it('waits the interval when one is given', async () => {
    const batcher = new AckBatcher(30);
    const socket = fakeSocket();
    socket.receivedPos = 1;
    batcher.mark(socket);
    await nextTurn();
    expect(socket.acks).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(socket.acks).toEqual([1]);
  });
});
