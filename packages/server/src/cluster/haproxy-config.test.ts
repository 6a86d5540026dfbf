import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir.js';
import { haproxyConfig } from './haproxy-config.js';

const run = promisify(execFile);
const first = { name: 'node-1', host: '127.0.0.1', port: 8081 };
const second = { name: 'node-2', host: '::1', port: 8082 };
const nodes = [first, second];

describe('the HAProxy configuration for Parley nodes', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('is one HAProxy accepts (haproxy -c)', async () => {
    const path = join(dir.path, 'haproxy.cfg');
    writeFileSync(path, haproxyConfig({ nodes, host: '127.0.0.1', port: 8080 }));
    const haproxy = await run('haproxy', ['-c', '-f', path], { env: { ...process.env, PATH: `/usr/sbin:${process.env.PATH ?? ''}` } });
    expect(haproxy.stdout).toContain('Configuration file is valid');
  });

  it('routes by a consistent hash of the user parameter, to the nodes /readyz calls ready, with WebSockets kept open for long', () => {
    const lines = haproxyConfig({ nodes, host: '127.0.0.1', port: 8080 })
      .split('\n')
      .map((line) => line.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'bind 127.0.0.1:8080',
        'balance url_param user',
        'hash-type consistent',
        'option httpchk GET /readyz',
        'http-check expect status 200',
        'default-server inter 1s fall 2 rise 2',
        'server node-1 127.0.0.1:8081 check',
        'server node-2 [::1]:8082 check',
        'timeout tunnel 1h',
        'option forwardfor',
      ]),
    );
    expect(lines.filter((line) => line.startsWith('stats'))).toEqual([]);
  });

  it('refuses no nodes, a name HAProxy cannot take, and two nodes of one name', () => {
    expect(() => haproxyConfig({ nodes: [], host: '127.0.0.1', port: 8080 })).toThrow(/at least one node/);
    expect(() => haproxyConfig({ nodes: [{ name: 'node 1', host: '127.0.0.1', port: 1 }], host: '127.0.0.1', port: 8080 })).toThrow(/node name/);
    expect(() => haproxyConfig({ nodes: [first, first], host: '127.0.0.1', port: 8080 })).toThrow(/must differ/);
  });
});
