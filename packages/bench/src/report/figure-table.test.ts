import { describe, expect, it } from 'vitest';
import { parseOptions } from '../options.js';
import type { BenchResult, Figure } from './bench-result.js';
import { figureTable } from './figure-table.js';

function resultWith(figures: Figure[]): BenchResult {
  return {
    scenario: 'hotpath',
    startedAt: '2026-12-06T00:00:00.000Z',
    command: 'parley-bench hotpath',
    machine: { cores: 2, cpuModel: 'test', nodeVersion: 'v20', platform: 'linux x64' },
    options: parseOptions(['hotpath']),
    setup: undefined,
    figures,
    runs: [],
    charts: [],
    warnings: [],
    details: {},
  };
}

describe('the figure table', () => {
  it('prints each baseline’s value with Parley’s ratio to it, the target and whether it is met, under the row’s heading', () => {
    const table = figureTable(
      resultWith([
        {
          name: 'delivered msg/s',
          value: 6_450,
          unit: 'msg/s',
          baselines: [
            { baseline: 'ws', value: 67_100, ratio: 0.0961 },
            { baseline: 'ws-sqlite', value: 23_200, ratio: 0.278 },
          ],
          target: '≥ 0.6× ws + SQLite relay = 13,920',
          met: false,
          section: '1:1 closed loop, 1,000 pairs',
        },
      ]),
    );
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^figure +unit +parley +bare ws relay \(parley ÷\) +ws \+ SQLite relay \(parley ÷\) +target$/);
    expect(lines[2]).toBe('1:1 closed loop, 1,000 pairs');
    expect(lines[3]).toMatch(/^delivered msg\/s +msg\/s +6,450 +67,100 \(0\.0961×\) +23,200 \(0\.278×\) +≥ 0\.6× ws \+ SQLite relay = 13,920 +NOT met$/);
  });

  it('has no baseline columns when no figure has a baseline', () => {
    const table = figureTable(resultWith([{ name: 'all devices synced after', value: 7.41, unit: 's', target: '≤ 10', met: true }]));
    expect(table.split('\n')).toEqual(['figure                    unit  parley  target', 'all devices synced after  s       7.41  ≤ 10    met']);
  });
});
