import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from './options.js';

describe('the command line', () => {
  it('compares with both baseline relays unless told otherwise', () => {
    expect(parseOptions(['direct']).baselines).toEqual(['ws', 'ws-sqlite']);
    expect(parseOptions(['direct', '--baselines', 'ws-sqlite']).baselines).toEqual(['ws-sqlite']);
    expect(parseOptions(['direct', '--baselines', 'ws-sqlite,ws']).baselines).toEqual(['ws', 'ws-sqlite']);
    expect(parseOptions(['direct', '--baselines', 'none']).baselines).toEqual([]);
    expect(parseOptions(['direct', '--no-baseline']).baselines).toEqual([]);
  });

  it('refuses a baseline it does not know', () => {
    expect(() => parseOptions(['direct', '--baselines', 'ws,nats'])).toThrow(UsageError);
  });

  it('shortens the default timings with --quick, and keeps the ones given', () => {
    expect(parseOptions(['hotpath', '--quick'])).toMatchObject({ quick: true, warmupS: 1, durationS: 4, drainS: 2, stepS: 2 });
    expect(parseOptions(['hotpath', '--quick', '--duration-s', '10']).durationS).toBe(10);
    expect(parseOptions(['hotpath'])).toMatchObject({ quick: false, warmupS: 3, durationS: 15, drainS: 5 });
  });
});
