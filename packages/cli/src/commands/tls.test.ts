import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test scaffolding is not part of the server's package: tests reach it by path.
import { selfSignedCertificate } from '../../../server/src/testing/self-signed.js';
import { runCli } from '../testing/cli-process.js';
import { startCliTestServer, type CliTestServer } from '../testing/test-cli-server.js';

let certificates: string;
let certPath: string;
let server: CliTestServer;
beforeAll(async () => {
  certificates = await mkdtemp(join(tmpdir(), 'parley-cli-tls-'));
  const made = selfSignedCertificate(certificates);
  certPath = made.certPath;
  server = await startCliTestServer({ tlsCert: made.certPath, tlsKey: made.keyPath });
});
afterAll(async () => {
  await server.stop();
  await rm(certificates, { recursive: true, force: true });
});

describe('the CLI against a server with a self-signed certificate', () => {
  it('says how to trust the certificate, and works once NODE_EXTRA_CA_CERTS names it, as the README shows', async () => {
    expect(server.url).toMatch(/^https:/);
    const configDir = await server.configDir();
    const args = ['--server', server.url, 'register', 'tls_alice', '--password', 'alice-secret-1'];
    const untrusted = await runCli(args, { configDir });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/self-signed.*trust it with NODE_EXTRA_CA_CERTS=<its certificate file> parley/);

    const trusted = await runCli(args, { configDir, env: { NODE_EXTRA_CA_CERTS: certPath } });
    expect(trusted.code, trusted.stderr).toBe(0);
    const trust = { configDir, env: { NODE_EXTRA_CA_CERTS: certPath } };
    expect((await runCli(['--profile', 'bob', '--server', server.url, 'register', 'tls_bob', '--password', 'bob-secret-12'], trust)).code).toBe(0);
    const sent = await runCli(['send', 'tls_bob', 'over wss'], trust);
    expect(sent.stdout, sent.stderr).toBe('sent to @tls_bob: seq 1\n');
  });
});
