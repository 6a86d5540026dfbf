import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventually } from './testing/eventually.js';
import { startApp, type RunningApp } from './testing/running-app.js';
import { tempDir } from './testing/temp-dir.js';
import { createUser, logInAgain, openDirect } from './testing/test-api.js';
import { ModelDevice } from './testing/model-device.js';

/** A blank text is refused with bad_request: the promises are about messages the server takes. */
const nonBlankText = (maxLength: number) => fc.string({ minLength: 1, maxLength }).filter((text) => text.trim() !== '');

type Step =
  | { kind: 'send'; device: number; peer: number; text: string }
  | { kind: 'disconnect'; device: number }
  | { kind: 'reconnect'; device: number }
  | { kind: 'restart' };

const deviceCount = 4; // alice's phone and laptop, bob, carol

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('send' as const), device: fc.nat(deviceCount - 1), peer: fc.nat(1), text: nonBlankText(12) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), device: fc.nat(deviceCount - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), device: fc.nat(deviceCount - 1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

async function runSchedule(steps: Step[]): Promise<void> {
  const dir = tempDir();
  let server: RunningApp = await startApp({ dataDir: dir.path });
  try {
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const carol = await createUser(server.url, 'carol');
    const aliceLaptop = await logInAgain(server.url, alice.username);
    const withBob = await openDirect(server.url, alice, bob);
    const withCarol = await openDirect(server.url, alice, carol);
    const devices = [
      new ModelDevice('alice-phone', alice.token),
      new ModelDevice('alice-laptop', aliceLaptop.token),
      new ModelDevice('bob', bob.token),
      new ModelDevice('carol', carol.token),
    ];
    // Which conversation a device sends into, by the step's `peer` choice.
    const conversationsOf = [[withBob, withCarol], [withBob, withCarol], [withBob], [withCarol]];
    const membersOf = new Map([[withBob, [0, 1, 2]], [withCarol, [0, 1, 3]]]);
    await Promise.all(devices.map((device) => device.connect(server.url)));

    for (const step of steps) {
      if (step.kind === 'send') {
        const choices = conversationsOf[step.device] as string[];
        (devices[step.device] as ModelDevice).send(choices[step.peer % choices.length] as string, step.text);
      } else if (step.kind === 'disconnect') {
        (devices[step.device] as ModelDevice).disconnect();
      } else if (step.kind === 'reconnect') {
        await (devices[step.device] as ModelDevice).connect(server.url).catch(() => undefined);
      } else {
        await server.stop({ keepData: true });
        server = await startApp({ dataDir: dir.path });
      }
    }

    // Let every outbox drain, then reconnect everyone once more to receive everything. A send the
    // server refused stays in its outbox: the wait ends there, and the refusal is the failure shown.
    await Promise.all(devices.map((device) => device.connect(server.url)));
    await eventually(() => devices.every((device) => device.pending === 0 || device.violations.length > 0), 'outboxes to drain').catch((error: Error) => {
      throw new Error(`${error.message}: ${devices.map((device) => device.describe()).join(' | ')}`);
    });
    for (const device of devices) expect(device.violations).toEqual([]);
    await Promise.all(devices.map((device) => device.connect(server.url)));

    for (const device of devices) expect(device.violations).toEqual([]);
    const acknowledged = devices.flatMap((device) => [...device.acknowledged]);
    for (const [conversation, members] of membersOf) {
      const views = members.map((index) =>
        (devices[index] as ModelDevice).shown.filter((message) => message.conversation === conversation),
      );
      // None shown twice, and in seq order, on every device.
      for (const view of views) expect(view.map((message) => message.seq)).toEqual(view.map((_, index) => index + 1));
      // One order on every device.
      const ids = views.map((view) => view.map((message) => message.id));
      for (const other of ids.slice(1)) expect(other).toEqual(ids[0]);
      // No acknowledged message lost.
      const shown = new Set(ids[0]);
      for (const [id, where] of acknowledged) if (where === conversation) expect(shown.has(id)).toBe(true);
    }
    for (const device of devices) device.disconnect();
  } finally {
    await server.stop();
    dir.remove();
  }
}

describe('the three promises under random schedules', () => {
  it('loses no acknowledged message, shows none twice and keeps one order on every device, across disconnects and restarts', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stepArbitrary, { minLength: 5, maxLength: 40 }), runSchedule), {
      numRuns: 12,
      endOnFailure: true,
    });
  }, 180_000);
});
