import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerFrame } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../testing/captured-log.js';
import { eventually } from '../testing/eventually.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { fillDiskLeaving, mountSmallDisk, untilSpaceStopsChanging } from '../testing/small-disk.js';
import { createUser, openDirect, request } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'parley-full-disk-'));
const cannotWrite = 'the store cannot write: answering unavailable and not ready until a write succeeds';
const canWriteAgain = 'the store can write again';

const answers = (id: string) => (frame: ServerFrame) => (frame.type === 'sent' && frame.id === id) || (frame.type === 'error' && frame.ref === id);

/** The first `sent` or `error` frame from index `from` on that answers the send `id`. */
async function answerTo(socket: TestSocket, id: string, from = 0): Promise<ServerFrame> {
  await eventually(() => socket.frames.slice(from).some(answers(id)), `an answer to ${id}`, 5_000);
  return socket.frames.slice(from).find(answers(id)) as ServerFrame;
}

/** Sends as the SDK does: the same id again after each `unavailable`, once its wait has passed. */
async function sendUntilTaken(socket: TestSocket, conversation: string, id: string, text: string): Promise<void> {
  for (;;) {
    const from = socket.frames.length;
    socket.send({ type: 'send', id, conversation, body: { text } });
    const answer = await answerTo(socket, id, from);
    if (answer.type === 'sent') return;
    expect(answer).toMatchObject({ code: 'unavailable' });
    await new Promise((resolve) => setTimeout(resolve, answer.type === 'error' ? answer.retryAfterMs : 0));
  }
}

async function writableGauge(url: string): Promise<string | undefined> {
  return /^parley_store_writable (\d)$/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1];
}

const skipReason = mountSmallDisk(mountPoint, '24m');
if (skipReason !== undefined) {
  rmSync(mountPoint, { recursive: true, force: true });
  console.warn(`skipping the full-disk test: ${skipReason}`);
}

describe.skipIf(skipReason !== undefined)('a data volume that fills up while small writes still fit', () => {
  const fillerDir = join(mountPoint, 'filler');
  let server: RunningApp | undefined;

  beforeAll(() => mkdirSync(fillerDir));
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    rmSync(join(mountPoint, 'data'), { recursive: true, force: true });
    rmSync(join(fillerDir, 'filler'), { force: true });
  });
  afterAll(() => {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  /**
   * Fills the disk but `roomBytes`, then sends large texts (refused) between
   * small ones (taken), checking the signals after each, then frees the disk
   * and re-sends the refused texts as the SDK would.
   */
  async function outage(readyDiskFreeBytesMin: number, roomBytes: number, notReady: string) {
    const log = captureLog();
    server = await startApp({ dataDir: join(mountPoint, 'data'), readyDiskFreeBytesMin, ackWriteDelayMs: 0, quietAckWriteDelayMs: 0 }, { logger: log.logger });
    const { url } = server;
    const alice = await createUser(url, 'alice');
    const bob = await createUser(url, 'bob');
    const conversation = await openDirect(url, alice, bob);
    const aliceSocket = await TestSocket.connect(url, alice.token);
    const bobSocket = await TestSocket.connect(url, bob.token);

    // The room left is for the sends below: the server's own writes after setup would take it first.
    await untilSpaceStopsChanging(mountPoint);
    fillDiskLeaving(fillerDir, roomBytes);
    // More than the room left plus what the WAL file may already hold from earlier writes, which SQLite reuses without asking the disk.
    const large = Array.from({ length: 24 }, (_, index) => ({ id: randomUUID(), text: `${index}:${'x'.repeat(60_000)}` }));
    const refused: string[] = [];
    let smallSent = 0;
    for (const message of large) {
      aliceSocket.send({ type: 'send', id: message.id, conversation, body: { text: message.text } });
      const answer = await answerTo(aliceSocket, message.id);
      if (answer.type === 'error') {
        expect(answer).toMatchObject({ code: 'unavailable', retryAfterMs: expect.any(Number) as number });
        refused.push(message.id);
      }
      // A small write that still fits: it must not end the outage.
      const id = randomUUID();
      bobSocket.send({ type: 'send', id, conversation, body: { text: 'small' } });
      if ((await answerTo(bobSocket, id)).type === 'sent') smallSent++;
      if (refused.length > 0) {
        expect(await request(url, 'GET', '/readyz')).toMatchObject({ status: 503, body: { status: notReady } });
        expect(await writableGauge(url)).toBe('0');
      }
    }
    expect(refused.length).toBeGreaterThan(0);
    expect(smallSent).toBeGreaterThan(0);
    expect(log.count(cannotWrite)).toBe(1);
    expect(log.count(canWriteAgain)).toBe(0);

    rmSync(join(fillerDir, 'filler'));
    // No one asks /readyz: the server notices by itself.
    await eventually(() => log.count(canWriteAgain) === 1, 'the recovery line', 5_000);
    expect(await writableGauge(url)).toBe('1');
    expect(await request(url, 'GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    for (const message of large.filter((each) => refused.includes(each.id))) await sendUntilTaken(aliceSocket, conversation, message.id, message.text);
    const history = await request<{ messages: { body: { text: string } }[] }>(url, 'GET', `/v1/conversations/${conversation}/messages?limit=100`, { token: bob.token });
    expect(history.status, JSON.stringify(history.body)).toBe(200);
    const texts = history.body.messages.map((message) => message.body.text);
    for (const message of large) expect(texts.filter((text) => text === message.text)).toHaveLength(1);
    expect(log.count(cannotWrite)).toBe(1);
    expect(log.count(canWriteAgain)).toBe(1);
    await Promise.all([aliceSocket.close(), bobSocket.close()]);
  }

  it('logs one outage, keeps the gauge at 0 while /readyz says disk_full, refuses large sends with retryAfterMs, and loses none', async () => {
    await outage(16 * 1024 * 1024, 256 * 1024, 'disk_full');
  }, 30_000);

  it('counts the store writable again only once a write of a large message\'s size succeeds, not when a small one does', async () => {
    await outage(0, 32 * 1024, 'storage_unavailable');
  }, 30_000);
});
