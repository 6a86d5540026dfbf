import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { natsTestServer, openTestNatsBus, randomSubjectPrefix, type NatsTestServer } from '../testing/nats-test-server.js';
import type { HeardNotice, UserNotice } from './bus.js';
import type { NatsBus } from './nats-bus.js';

const wake = (pos: number): UserNotice => ({ kind: 'stream', entries: [{ pos, frame: `{"pos":${pos}}` }] });

/** When each catch-up came, and the published notices, of one listener. */
function listener() {
  const published: UserNotice[] = [];
  const catchUpsAtMs: number[] = [];
  return {
    published,
    catchUpsAtMs,
    listen: (notice: HeardNotice) => {
      if (notice.kind === 'catch_up') catchUpsAtMs.push(performance.now());
      else published.push(notice);
    },
  };
}

describe('NatsBus while its NATS server stops and starts again', () => {
  let server: NatsTestServer;
  let first: NatsBus;
  let second: NatsBus;
  beforeEach(async () => {
    server = await natsTestServer();
    await server.start();
    const prefix = randomSubjectPrefix();
    first = await openTestNatsBus(server.url, prefix);
    second = await openTestNatsBus(server.url, prefix);
  });
  afterEach(async () => {
    await first.close();
    await second.close();
    await server.stop();
  });

  it('delivers locally and says catch_up every second while NATS is down, then reconnects, says catch_up and delivers across nodes again', async () => {
    const onFirst = listener();
    const onSecond = listener();
    first.subscribe('u_a', onFirst.listen);
    second.subscribe('u_a', onSecond.listen);
    await eventually(() => onSecond.catchUpsAtMs.length > 0, 'the subscription to hold', 2_000);
    first.publish('u_a', wake(1));
    await eventually(() => onSecond.published.length === 1, 'the notice on the other node', 2_000);

    await server.stop();
    const stoppedAtMs = performance.now();
    first.publish('u_a', wake(2));
    expect(onFirst.published).toEqual([wake(1), wake(2)]);
    await eventually(() => onSecond.catchUpsAtMs.filter((at) => at > stoppedAtMs).length >= 3, 'three catch-ups while down', 4_000);
    const whileDown = onSecond.catchUpsAtMs.filter((at) => at > stoppedAtMs);
    // No gap between catch-ups much over a second: a message nobody was told of waits for one at most.
    const gapsMs = whileDown.slice(1).map((at, index) => at - (whileDown[index] as number));
    expect(Math.max(...gapsMs)).toBeLessThan(1_500);
    expect(onSecond.published).toEqual([wake(1)]);

    await server.start();
    const restartedAtMs = performance.now();
    // A notice published before the other node has its subscription back is lost: that is what catch_up is for.
    const deadline = performance.now() + 5_000;
    for (let pos = 3; onSecond.published.length < 2; pos++) {
      expect(performance.now(), 'cross-node delivery to resume').toBeLessThan(deadline);
      first.publish('u_a', wake(pos));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await eventually(() => [onFirst, onSecond].every((heard) => heard.catchUpsAtMs.some((at) => at > restartedAtMs)), 'a catch-up on both nodes after the restart', 2_000);
    second.publish('u_a', wake(100));
    await expect.poll(() => onFirst.published.at(-1), { timeout: 2_000 }).toEqual(wake(100));
  });
});
