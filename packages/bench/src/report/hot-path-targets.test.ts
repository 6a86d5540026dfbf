import { describe, expect, it } from 'vitest';
import { directCondition } from '../scenarios/direct-scenario.js';
import { groupCondition } from '../scenarios/group-scenario.js';
import type { BaselineFigure, Figure } from './bench-result.js';
import { withTargets, type RunCondition } from './hot-path-targets.js';

const closedLoop: RunCondition = { scenario: 'direct', pairs: 1000, mode: 'closed' };
const openAt = (offeredPerS: number): RunCondition => ({ scenario: 'direct', pairs: 1000, mode: 'open', offeredPerS });

function figureOf(name: string, value: number | string, baselines?: BaselineFigure[]): Figure {
  return { name, value, unit: '', ...(baselines === undefined ? {} : { baselines }) };
}

const judged = (figure: Figure, condition: RunCondition) => withTargets([figure], condition)[0];

describe('the targets of issue 13', () => {
  it('holds 1:1 closed-loop throughput over 1,000 pairs to 0.6× the ws + SQLite relay of the same run', () => {
    const relays: BaselineFigure[] = [
      { baseline: 'ws', value: 67_100, ratio: 0.209 },
      { baseline: 'ws-sqlite', value: 23_200, ratio: 0.603 },
    ];
    expect(judged(figureOf('delivered msg/s', 14_000, relays), closedLoop)).toMatchObject({ target: '≥ 0.6× ws + SQLite relay = 13,920', met: true });
    expect(judged(figureOf('delivered msg/s', 13_900, relays), closedLoop)?.met).toBe(false);
  });

  it('leaves the throughput target unjudged when the ws + SQLite relay did not run', () => {
    const figure = judged(figureOf('delivered msg/s', 14_000, [{ baseline: 'ws', value: 67_100 }]), closedLoop);
    expect(figure?.met).toBeUndefined();
    expect(figure?.target).toMatch(/not run/);
  });

  it('holds the open loop at 1,000 msg/s to 200 µs of server CPU per message and a p99 of 10 ms', () => {
    expect(judged(figureOf('server CPU per message', 200, []), openAt(1000))).toMatchObject({ target: '≤ 200', met: true });
    expect(judged(figureOf('server CPU per message', 527, []), openAt(1000))?.met).toBe(false);
    expect(judged(figureOf('end-to-end p99', 10.5), openAt(1000))).toMatchObject({ target: '≤ 10', met: false });
  });

  it('holds the open loop at 5,000 msg/s to a p99 of 20 ms, and to not being saturated', () => {
    expect(judged(figureOf('end-to-end p99', 10.5), openAt(5000))).toMatchObject({ target: '≤ 20', met: true });
    expect(judged(figureOf('saturated', 'no'), openAt(5000))).toMatchObject({ target: 'no', met: true });
    expect(judged(figureOf('saturated', 'yes'), openAt(5000))?.met).toBe(false);
  });

  it('holds a group of 100 with 5 senders to 55,000 deliveries per CPU-second closed, and a p99 of 15 ms at 2,000 deliveries/s', () => {
    const group = { groups: 1, members: 100, senders: 5 };
    const closed = groupCondition(group, { mode: 'closed', window: 4 });
    // 2,000 deliveries/s to 99 recipients is a fraction of a message a second: the offer is counted in deliveries.
    const open = groupCondition(group, { mode: 'open', ratePerSecond: 2000 / 99 });
    expect(open.offeredPerS).toBe(2000);
    expect(judged(figureOf('deliveries per server CPU-second', 55_000), closed)).toMatchObject({ target: '≥ 55,000', met: true });
    expect(judged(figureOf('fan-out p99', 41.9), open)).toMatchObject({ target: '≤ 15', met: false });
    expect(judged(figureOf('fan-out p99', 41.9), closed)?.target).toBeUndefined();
  });

  it('holds the reconnect storm of 10,000 devices × 100 missed events to 10 s', () => {
    const storm: RunCondition = { scenario: 'storm', connections: 10_000, missed: 100 };
    expect(judged(figureOf('all devices synced after', 7.41), storm)).toMatchObject({ target: '≤ 10', met: true });
  });

  it('states no target for runs of other sizes or shapes', () => {
    expect(judged(figureOf('end-to-end p99', 50), directCondition(100, { mode: 'open', ratePerSecond: 5000 }))?.target).toBeUndefined();
    expect(judged(figureOf('end-to-end p99', 50), directCondition(1000, { mode: 'open', ratePerSecond: 3000 }))?.target).toBeUndefined();
    expect(judged(figureOf('end-to-end p99', 50), closedLoop)?.target).toBeUndefined();
    expect(judged(figureOf('all devices synced after', 7), { scenario: 'storm', connections: 1000, missed: 100 })?.target).toBeUndefined();
  });

  it('leaves figures without a target as they were', () => {
    const figure = figureOf('end-to-end p90', 3);
    expect(withTargets([figure], openAt(5000))).toEqual([figure]);
  });
});
