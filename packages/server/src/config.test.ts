import { describe, expect, it } from 'vitest';
import { limitConflicts, loadConfig } from './config.js';
import { describeSettings } from './setting-descriptions.js';

describe('configuration', () => {
  it('defaults to 127.0.0.1:8080 with data in ./data and the protocol limits', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: './data', maxFrameBytes: 524_288, maxDevices: 5 });
  });

  it('reads PORT and HOST, and PARLEY_ variables', () => {
    const config = loadConfig([], { PORT: '9000', HOST: '0.0.0.0', PARLEY_MAX_GROUP_SIZE: '50', PARLEY_DATA_DIR: '/tmp/x' });
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', maxGroupSize: 50, dataDir: '/tmp/x' });
  });

  it('lets flags win over the environment', () => {
    expect(loadConfig(['--port', '7000'], { PORT: '9000', PARLEY_PORT: '9001' }).port).toBe(7000);
    expect(loadConfig([], { PORT: '9000', PARLEY_PORT: '9001' }).port).toBe(9001);
  });

  it('refuses invalid values with a message naming the flag, the variable and the value given, unless it is a secret', () => {
    expect(() => loadConfig(['--port', 'eighty'], {})).toThrow('Invalid configuration: --port (PARLEY_PORT) "eighty": not a number');
    expect(() => loadConfig([], { PARLEY_MAX_FRAME_BYTES: '-1' })).toThrow(/^Invalid configuration: --max-frame-bytes \(PARLEY_MAX_FRAME_BYTES\) "-1": /);
    expect(() => loadConfig(['--metrics-token', 'too-short'], {})).toThrow(/^Invalid configuration: --metrics-token \(PARLEY_METRICS_TOKEN\): must be at least 16 characters$/);
    expect(() => loadConfig([], { PARLEY_REGISTRATION: 'bogus' })).toThrow(/^Invalid configuration: --registration \(PARLEY_REGISTRATION\) "bogus": .*"open"\|"closed"\|"invite"/);
    expect(() => loadConfig(['--no-such-flag', '1'], {})).toThrow(/no-such-flag/);
  });
});

describe('limitConflicts', () => {
  it('finds none in the defaults: a text of maxTextLength characters fits the body and frame limits', () => {
    expect(limitConflicts(loadConfig([], {}))).toEqual([]);
  });

  it('names a body limit too small for the text limit, and a frame limit too small for the body limit', () => {
    const conflicts = limitConflicts({ maxTextLength: 65_536, maxBodyBytes: 65_536, maxFrameBytes: 65_536 });
    expect(conflicts).toEqual([expect.stringMatching(/^--max-body-bytes 65536 is below the 393227 bytes/), expect.stringMatching(/^--max-frame-bytes 65536 leaves no room/)]);
  });
});

describe('describeSettings', () => {
  it('says what every setting means, for parley serve --help', () => {
    const undescribed = describeSettings().filter((setting) => setting.meaning === '').map((setting) => setting.flag);
    expect(undescribed).toEqual([]);
  });
});
