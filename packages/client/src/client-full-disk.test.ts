import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '@parley/server';
import { testConfig } from '../../server/src/testing/test-config.js';
import { ParleyApi } from './api.js';
import type { ReceivedMessage } from './client-events.js';
import { ParleyClient } from './client.js';
import { NodeWebSocket } from './node.js';
import { eventually } from './testing/next-event.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'parley-full-disk-'));

/** A real small file system the test can fill: a 4 MiB tmpfs (needs root, as in CI). */
function mountSmallDisk(): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs here (${error instanceof Error ? error.message : String(error)}); run as root`;
  }
}

/** Writes files into `directory` until the file system refuses even a small one with ENOSPC. */
function fillDisk(directory: string): void {
  let count = 0;
  for (const size of [64 * 1024, 4 * 1024, 512]) {
    for (;;) {
      try {
        writeFileSync(join(directory, `filler-${count++}`), Buffer.alloc(size, 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw error;
      }
    }
  }
}

const skipReason = mountSmallDisk();
if (skipReason !== undefined) {
  rmSync(mountPoint, { recursive: true, force: true });
  console.warn(`skipping the full-disk test: ${skipReason}`);
}

describe.skipIf(skipReason !== undefined)('ParleyClient on a server whose disk fills up', () => {
  const dataDir = join(mountPoint, 'data');
  const fillerDir = join(mountPoint, 'filler');
  let app: App;
  let url: string;

  beforeAll(async () => {
    mkdirSync(dataDir);
    mkdirSync(fillerDir);
    app = await createApp(testConfig({ dataDir, readyDiskFreeBytesMin: 64 * 1024 }));
    url = await app.listen();
  });
  afterAll(async () => {
    await app?.close();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('keeps every typed message in the outbox while the disk is full, says why they wait, and delivers each once after space is freed', async () => {
    const password = 'correct horse battery staple';
    const signUp = async (username: string) => {
      const api = new ParleyApi({ baseUrl: url });
      await api.register({ username, password });
      return { api, session: await api.login({ username, password, deviceName: 'test' }) };
    };
    const alice = await signUp('alice');
    const bob = await signUp('bob');
    const conversation = (await alice.api.openDirect(bob.session.user.id)).id;
    const aliceClient = new ParleyClient({ url, token: alice.session.token, WebSocket: NodeWebSocket, random: () => 0 });
    const bobClient = new ParleyClient({ url, token: bob.session.token, WebSocket: NodeWebSocket, random: () => 0 });
    const received: ReceivedMessage[] = [];
    bobClient.on('message', (message) => received.push(message));
    const failures: unknown[] = [];
    aliceClient.on('sendFailed', (error) => failures.push(error));
    const delayed: string[] = [];
    aliceClient.on('sendDelayed', (frame) => delayed.push(frame.code));
    await Promise.all([aliceClient.connect(), bobClient.connect()]);

    fillDisk(fillerDir);
    // Large texts, more than the WAL holds already: after a checkpoint SQLite
    // writes the WAL over its file from the start, so only what goes past the
    // file's end needs the new pages the full disk cannot give.
    const textBytes = 30_000;
    const walBytes = statSync(join(dataDir, 'parley.db-wal')).size;
    const texts = Array.from({ length: Math.ceil((walBytes + 256 * 1024) / textBytes) }, (_, index) => `${index}:${'x'.repeat(textBytes)}`);
    const sends = texts.map((text) => aliceClient.send(conversation, { text }));
    let answered = 0;
    for (const send of sends) void send.then(() => answered++, () => undefined);

    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'disk_full' });
    const refusedUnavailable = async () => /parley_frames_refused_total\{code="unavailable"\} [1-9]/.test(await (await fetch(`${url}/metrics`)).text());
    // Up to 15 s: beside the rest of the suite (clusters of processes on two cores) the first refusal can take seconds.
    for (let attempt = 0; attempt < 750 && !(await refusedUnavailable()); attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await refusedUnavailable(), `a send refused with unavailable (${answered} of ${texts.length} answered sent)`).toBe(true);
    expect(answered).toBeLessThan(texts.length);
    // The app hears why its sends take long, so it can say so.
    await eventually(() => delayed.includes('unavailable'), 'a sendDelayed event for unavailable');

    rmSync(fillerDir, { recursive: true, force: true });
    const sent = await Promise.all(sends);
    expect(sent.map((frame) => frame.seq)).toEqual(texts.map((_, index) => index + 1));
    await eventually(() => received.length >= texts.length, 'every message at bob', 10_000);
    expect(received.map((message) => message.body.text)).toEqual(texts);
    expect(failures).toEqual([]);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await Promise.all([aliceClient.close(), bobClient.close()]);
  }, 60_000);
});
