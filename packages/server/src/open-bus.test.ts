import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { NatsBus } from './bus/nats-bus.js';
import { loadConfig } from './config.js';
import { busKindOf, openBus } from './open-bus.js';
import { randomSubjectPrefix, sharedNatsUrl } from './testing/nats-test-server.js';

const silent = pino({ level: 'silent' });

describe('choosing the bus', () => {
  it('is the in-process bus by default, and NATS once a NATS URL is set, unless --bus says otherwise', () => {
    expect(busKindOf(loadConfig([], {}))).toBe('memory');
    expect(busKindOf(loadConfig([], { PARLEY_NATS_URL: 'nats://127.0.0.1:4222' }))).toBe('nats');
    expect(busKindOf(loadConfig(['--bus', 'memory', '--nats-url', 'nats://127.0.0.1:4222'], {}))).toBe('memory');
  });

  it('refuses --bus nats without a URL, and a subject prefix that is not dot-ended tokens', () => {
    expect(() => loadConfig(['--bus', 'nats'], {})).toThrow(/--nats-url \(PARLEY_NATS_URL\): --bus nats needs --nats-url/);
    expect(() => loadConfig(['--nats-subject-prefix', 'parley.*.'], {})).toThrow(/--nats-subject-prefix \(PARLEY_NATS_SUBJECT_PREFIX\) "parley\.\*\.": must be/);
    expect(() => loadConfig(['--nats-subject-prefix', 'parley'], {})).toThrow(/--nats-subject-prefix/);
  });

  it('opens a NatsBus on the configured server, and says which server it cannot reach', async () => {
    const bus = await openBus(loadConfig(['--nats-url', sharedNatsUrl, '--nats-subject-prefix', randomSubjectPrefix()], {}), silent);
    expect(bus).toBeInstanceOf(NatsBus);
    await bus.close();
    await expect(openBus(loadConfig(['--nats-url', 'nats://127.0.0.1:1'], {}), silent)).rejects.toThrow(/^cannot reach NATS at nats:\/\/127\.0\.0\.1:1/);
  });
});
