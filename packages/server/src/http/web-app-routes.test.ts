import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { tempDir } from '../testing/temp-dir.js';

let running: RunningApp | undefined;
const directories: { remove: () => void }[] = [];
afterEach(async () => {
  await running?.stop();
  running = undefined;
  for (const directory of directories.splice(0)) directory.remove();
});

function newDirectory(): string {
  const directory = tempDir('parley-web-');
  directories.push(directory);
  return directory.path;
}

function builtApp(): string {
  const path = newDirectory();
  mkdirSync(join(path, 'assets'));
  writeFileSync(join(path, 'index.html'), '<!doctype html><title>Parley</title>');
  writeFileSync(join(path, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(2000))});`);
  return path;
}

describe('the web app routes', () => {
  it('serve index.html at / and hashed assets with a year of caching, gzipped when asked', async () => {
    running = await startApp({ webDir: builtApp() });
    const page = await fetch(`${running.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<title>Parley</title>');
    const asset = await fetch(`${running.url}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toContain('console.log');
  });

  it('send the gzipped copy to a client that accepts gzip', async () => {
    running = await startApp({ webDir: builtApp() });
    const { request } = await import('node:http');
    const body = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      request(`${running?.url}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ encoding: response.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(body.encoding).toBe('gzip');
    expect(gunzipSync(body.bytes).toString()).toContain('console.log');
  });

  it('leave unknown paths to the API\'s JSON 404, and serve nothing when the app is not built', async () => {
    running = await startApp({ webDir: join(newDirectory(), 'missing') });
    const root = await fetch(`${running.url}/`);
    expect(root.status).toBe(404);
    expect(await root.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });
});
