import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LinkCodeView, SessionView } from '@parley/protocol';
import { eventually } from './testing/eventually.js';
import { startApp, type RunningApp } from './testing/running-app.js';
import { tempDir } from './testing/temp-dir.js';
import { createUser, logInAgain, openDirect, request, type TestUser } from './testing/test-api.js';
import { ModelDevice } from './testing/model-device.js';

/** A blank text is refused with bad_request: the promises are about messages the server takes. */
const nonBlankText = (maxLength: number) => fc.string({ minLength: 1, maxLength }).filter((text) => text.trim() !== '');

type Step =
  | { kind: 'send'; device: number; group: boolean; text: string }
  | { kind: 'read'; device: number; group: boolean }
  | { kind: 'disconnect'; device: number }
  | { kind: 'reconnect'; device: number }
  | { kind: 'toggle_carol' }
  | { kind: 'link'; user: 'alice' | 'bob' }
  | { kind: 'revoke'; device: number }
  | { kind: 'restart' };

const device = fc.nat(7);
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('send' as const), device, group: fc.boolean(), text: nonBlankText(8) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), device, group: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), device }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), device }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'toggle_carol' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('link' as const), user: fc.constantFrom('alice' as const, 'bob' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), device }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

interface Participant {
  model: ModelDevice;
  user: TestUser;
  /** Present from the start, never revoked, always a member: must end up with every message. */
  complete: boolean;
  revoked: boolean;
}

function checkPromises(participants: Participant[], conversations: string[], lastSeq: Map<string, number>): void {
  const idAtSeq = new Map<string, string>();
  for (const { model, complete, revoked } of participants) {
    expect(model.violations).toEqual([]);
    for (const conversation of conversations) {
      const seqs = model.shown.filter((message) => message.conversation === conversation).map((message) => message.seq);
      // Never shown twice, always in seq order.
      expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
      // Nothing lost on a device that was there all along.
      if (complete && !revoked) {
        expect(seqs).toEqual(Array.from({ length: lastSeq.get(conversation) ?? 0 }, (_, index) => index + 1));
      }
    }
    // One order: a (conversation, seq) is the same message on every device.
    for (const message of model.shown) {
      const key = `${message.conversation}/${message.seq}`;
      expect(idAtSeq.get(key) ?? message.id).toBe(message.id);
      idAtSeq.set(key, message.id);
    }
    // Receipts never go backwards.
    const latest = new Map<string, number>();
    for (const receipt of model.receipts) {
      const key = `${receipt.conversation}/${receipt.user}/${receipt.status}`;
      expect(receipt.seq).toBeGreaterThan(latest.get(key) ?? 0);
      latest.set(key, receipt.seq);
    }
  }
}

async function runSchedule(steps: Step[]): Promise<void> {
  const dir = tempDir();
  let server: RunningApp = await startApp({ dataDir: dir.path });
  try {
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => createUser(server.url, name))) as [TestUser, TestUser, TestUser];
    const direct = await openDirect(server.url, alice, bob);
    const created = await request<{ id: string }>(server.url, 'POST', '/v1/conversations', {
      token: alice.token,
      body: { type: 'group', name: 'g', members: [bob.userId, carol.userId] },
    });
    const group = created.body.id;
    const aliceLaptop = await logInAgain(server.url, alice.username);
    const participants: Participant[] = [alice, aliceLaptop, bob, carol].map((user, index) => ({
      model: new ModelDevice(`device${index}`, user.token),
      user,
      complete: user !== carol,
      revoked: false,
    }));
    let carolIsMember = true;
    await Promise.all(participants.map(({ model }) => model.connect(server.url)));

    for (const step of steps) {
      const participant = 'device' in step ? participants[step.device % participants.length] : undefined;
      if (participant?.revoked) continue;
      switch (step.kind) {
        case 'send':
        case 'read': {
          const conversation = step.group || participant?.user === carol ? group : direct;
          if (participant?.user === carol && !carolIsMember) break;
          if (step.kind === 'send') participant?.model.send(conversation, step.text);
          else participant?.model.read(conversation);
          break;
        }
        case 'disconnect':
          participant?.model.disconnect();
          break;
        case 'reconnect':
          await participant?.model.connect(server.url).catch(() => undefined);
          break;
        case 'toggle_carol': {
          // Carol's outbox may hold sends for the group; they are refused while she is out.
          const path = carolIsMember ? `/v1/conversations/${group}/members/${carol.userId}` : `/v1/conversations/${group}/members`;
          const response = carolIsMember
            ? await request(server.url, 'DELETE', path, { token: alice.token })
            : await request(server.url, 'POST', path, { token: alice.token, body: { members: [carol.userId] } });
          expect(response.status).toBeLessThan(300);
          carolIsMember = !carolIsMember;
          break;
        }
        case 'link': {
          const owner = step.user === 'alice' ? alice : bob;
          const code = await request<LinkCodeView>(server.url, 'POST', '/v1/devices/link-codes', { token: owner.token });
          const linked = await request<SessionView>(server.url, 'POST', '/v1/sessions', { body: { linkCode: code.body.code } });
          if (linked.status !== 201) break; // the account is at its device limit
          const user = { ...owner, token: linked.body.token, deviceId: linked.body.device.id };
          const model = new ModelDevice(`device${participants.length}`, user.token);
          participants.push({ model, user, complete: false, revoked: false });
          await model.connect(server.url);
          break;
        }
        case 'revoke': {
          if (participant === undefined || participant.complete) break;
          const response = await request(server.url, 'DELETE', `/v1/devices/${participant.user.deviceId}`, { token: participant.user.token });
          expect(response.status).toBe(204);
          participant.revoked = true;
          participant.model.disconnect();
          break;
        }
        case 'restart':
          await server.stop({ keepData: true });
          server = await startApp({ dataDir: dir.path });
          break;
      }
    }

    const live = participants.filter((participant) => !participant.revoked);
    await Promise.all(live.map(({ model }) => model.connect(server.url)));
    // A send the server refused stays in its outbox: the wait ends there, and the refusal is the failure shown.
    await eventually(() => live.every(({ model }) => model.pending === 0 || model.violations.length > 0), 'outboxes to drain').catch((error: Error) => {
      throw new Error(`${error.message}: ${live.map(({ model }) => model.describe()).join(' | ')}`);
    });
    for (const { model } of live) expect(model.violations).toEqual([]);
    await Promise.all(live.map(({ model }) => model.connect(server.url)));

    const lastSeq = new Map<string, number>();
    for (const conversation of [direct, group]) {
      const details = await request<{ lastSeq: number }>(server.url, 'GET', `/v1/conversations/${conversation}`, { token: alice.token });
      lastSeq.set(conversation, details.body.lastSeq);
    }
    checkPromises(participants, [direct, group], lastSeq);
    // No acknowledged message lost: every `sent` id is in the conversation's history.
    for (const conversation of [direct, group]) {
      const history = await request<{ messages: { id: string }[] }>(server.url, 'GET', `/v1/conversations/${conversation}/messages?limit=200`, {
        token: alice.token,
      });
      const stored = new Set(history.body.messages.map((message) => message.id));
      for (const { model } of participants) {
        for (const [id, where] of model.acknowledged) if (where === conversation) expect(stored.has(id)).toBe(true);
      }
    }
    for (const { model } of participants) model.disconnect();
  } finally {
    await server.stop();
    dir.remove();
  }
}

describe('the three promises with groups, receipts and several devices', () => {
  it('holds across membership changes, reads, late-linked and revoked devices, disconnects and restarts', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stepArbitrary, { minLength: 5, maxLength: 40 }), runSchedule), {
      numRuns: 12,
      endOnFailure: true,
    });
  }, 240_000);
});
