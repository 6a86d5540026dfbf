import { parseConfig, type Config, type ConfigInput } from '../config.js';

/**
 * A configuration for tests: an ephemeral port, quiet logs, and limits loose
 * enough for a suite that registers many users from one address.
 */
export function testConfig(overrides: Partial<ConfigInput> & { dataDir: string }): Config {
  return parseConfig({
    port: 0,
    logLevel: 'silent',
    authRatePerMinute: 60_000,
    authBurst: 10_000,
    sendRatePerSecond: 10_000,
    sendBurst: 10_000,
    maxConnectionsPerIp: 10_000,
    maxSocketsPerIp: 10_000,
    handshakesPerIpPerSecond: 10_000,
    handshakeBurst: 10_000,
    shutdownGraceMs: 1_000,
    drainGraceMs: 0,
    ...overrides,
  });
}
