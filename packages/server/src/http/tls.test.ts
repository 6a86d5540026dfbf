import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app.js';
import { testConfig } from '../testing/test-config.js';
import { request as httpsRequest } from 'node:https';
import { connect, type PeerCertificate } from 'node:tls';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { selfSignedCertificate } from '../testing/self-signed.js';
import { tempDir } from '../testing/temp-dir.js';
import { TestSocket } from '../testing/test-socket.js';
import type { SessionView } from '@parley/protocol';

function httpsJson<T>(url: string, ca: Buffer, method: string, body?: unknown, token?: string): Promise<{ status: number; headers: Record<string, unknown>; body: T }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { method, ca, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T }));
    });
    request.on('error', reject);
    request.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function peerCertificate(port: number, ca: Buffer[], options: { maxVersion?: 'TLSv1.1' | 'TLSv1.2' } = {}): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...options }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('TLS configuration errors', () => {
  it('refuses to start with a missing certificate file, closing what it opened, and starts once it is fixed', async () => {
    const dir = tempDir();
    const missing = join(dir.path, 'missing.pem');
    await expect(createApp(testConfig({ dataDir: dir.path, tlsCert: missing, tlsKey: missing }))).rejects.toThrow(/missing\.pem/);
    const fixed = await startApp({ dataDir: dir.path });
    expect((await fetch(`${fixed.url}/healthz`)).status).toBe(200);
    await fixed.stop();
    dir.remove();
  });

  it('names both flags and their variables when only one of the certificate and the key is given', async () => {
    const dir = tempDir();
    await expect(createApp(testConfig({ dataDir: dir.path, tlsCert: join(dir.path, 'cert.pem') }))).rejects.toThrow(
      'TLS needs both --tls-cert (PARLEY_TLS_CERT) and --tls-key (PARLEY_TLS_KEY)',
    );
    dir.remove();
  });
});

describe('the TLS start-up log', () => {
  it('names the https scheme in every line that gives the address', async () => {
    const dir = tempDir();
    const certificate = selfSignedCertificate(dir.path, 'logged');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const server = await startApp({ dataDir: join(dir.path, 'data'), tlsCert: certificate.certPath, tlsKey: certificate.keyPath }, { logger });
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    // One line per node (a test cluster has two, each logging its own address).
    const listening = server.apps.map(() => expect.stringMatching(/^server listening at https:\/\/127\.0\.0\.1:\d+$/));
    expect(messages.filter((message) => /listening at/.test(message))).toEqual(listening);
    await server.stop();
    dir.remove();
  });
});

describe('TLS', () => {
  const certs = tempDir('parley-certs-');
  let first: ReturnType<typeof selfSignedCertificate>;
  let server: RunningApp;

  beforeEach(async () => {
    first = selfSignedCertificate(certs.path, 'first');
    server = await startApp({ tlsCert: first.certPath, tlsKey: first.keyPath });
  });
  afterEach(async () => {
    await server.stop();
  });
  afterAll(() => certs.remove());

  it('serves HTTPS with HSTS and carries a chat over wss://', async () => {
    expect(server.url).toMatch(/^https:/);
    const health = await httpsJson(`${server.url}/healthz`, first.cert, 'GET');
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);

    const users: SessionView[] = [];
    for (const username of ['alice', 'bob']) {
      await httpsJson(`${server.url}/v1/accounts`, first.cert, 'POST', { username, password: 'correct horse battery staple' });
      users.push((await httpsJson<SessionView>(`${server.url}/v1/sessions`, first.cert, 'POST', { username, password: 'correct horse battery staple' })).body);
    }
    const [alice, bob] = users as [SessionView, SessionView];
    const conversation = await httpsJson<{ id: string }>(`${server.url}/v1/conversations`, first.cert, 'POST', { type: 'direct', peer: bob.user.id }, alice.token);

    const sender = await TestSocket.open(server.url, { ca: first.cert });
    sender.send({ type: 'hello', token: alice.token, protocol: 1 });
    await sender.next('synced');
    const receiver = await TestSocket.open(server.url, { ca: first.cert });
    receiver.send({ type: 'hello', token: bob.token, protocol: 1 });
    await receiver.next('synced');
    const id = randomUUID();
    sender.send({ type: 'send', id, conversation: conversation.body.id, body: { text: 'over TLS' } });
    expect((await receiver.next('message')).body.text).toBe('over TLS');
    await Promise.all([sender.close(), receiver.close()]);
  });

  it('refuses TLS older than 1.2', async () => {
    const port = Number(new URL(server.url).port);
    await expect(peerCertificate(port, [first.cert], { maxVersion: 'TLSv1.1' })).rejects.toThrow();
    await expect(peerCertificate(port, [first.cert], { maxVersion: 'TLSv1.2' })).resolves.toBeDefined();
  });

  it('reloads the certificate without dropping open connections', async () => {
    const port = Number(new URL(server.url).port);
    const credentials = { username: 'carol', password: 'correct horse battery staple' };
    await httpsJson(`${server.url}/v1/accounts`, first.cert, 'POST', credentials);
    const carol = (await httpsJson<SessionView>(`${server.url}/v1/sessions`, first.cert, 'POST', credentials)).body;
    const open = await TestSocket.open(server.url, { ca: first.cert });
    open.send({ type: 'hello', token: carol.token, protocol: 1 });
    await open.next('synced');
    const second = selfSignedCertificate(certs.path, 'second');
    // The files at the configured paths are replaced, as a renewal would.
    copyFileSync(second.certPath, first.certPath);
    copyFileSync(second.keyPath, first.keyPath);
    expect(server.app.reloadTls()).toBe(true);

    const seen = await peerCertificate(port, [second.cert]);
    expect(seen.subject.CN).toBe('second');
    open.send({ type: 'ping' });
    expect(await open.next('pong')).toEqual({ type: 'pong' });
    await open.close();
  });
});
