import type { Baseline } from '../options.js';
import { targetLabels } from '../process/targets.js';
import type { Figure } from './bench-result.js';

/** What a run was: the scenario and the sizes a target is stated for. */
export interface RunCondition {
  scenario: 'direct' | 'group' | 'storm';
  mode?: 'open' | 'closed';
  pairs?: number;
  groups?: number;
  members?: number;
  senders?: number;
  /** Offered deliveries per second of an open loop, rounded: msg/s in 1:1, msg/s × (members - 1) in a group. */
  offeredPerS?: number;
  connections?: number;
  missed?: number;
}

/** What a figure must be: a bound, a multiple of a baseline's value in the same run, or one exact text. */
export type Bound = { atLeast: number } | { atMost: number } | { atLeastTimes: number; of: Baseline } | { equals: string };

/** One target: the figure it holds, its bound, and the runs it is stated for (every field given must match). */
export interface TargetRow {
  figure: string;
  bound: Bound;
  when: RunCondition;
}

const directPairs = { scenario: 'direct', pairs: 1000 } as const;
const oneGroupOf100 = { scenario: 'group', groups: 1, members: 100, senders: 5 } as const;

/** The targets of issue 13 ("a durable message at a fraction of today's cost"), server pinned to one core. */
export const hotPathTargets: TargetRow[] = [
  { figure: 'delivered msg/s', bound: { atLeastTimes: 0.6, of: 'ws-sqlite' }, when: { ...directPairs, mode: 'closed' } },
  { figure: 'server CPU per message', bound: { atMost: 200 }, when: { ...directPairs, mode: 'open', offeredPerS: 1000 } },
  { figure: 'end-to-end p99', bound: { atMost: 10 }, when: { ...directPairs, mode: 'open', offeredPerS: 1000 } },
  { figure: 'end-to-end p99', bound: { atMost: 20 }, when: { ...directPairs, mode: 'open', offeredPerS: 5000 } },
  { figure: 'saturated', bound: { equals: 'no' }, when: { ...directPairs, mode: 'open', offeredPerS: 5000 } },
  { figure: 'deliveries per server CPU-second', bound: { atLeast: 55_000 }, when: { ...oneGroupOf100, mode: 'closed' } },
  { figure: 'fan-out p99', bound: { atMost: 15 }, when: { ...oneGroupOf100, mode: 'open', offeredPerS: 2000 } },
  { figure: 'all devices synced after', bound: { atMost: 10 }, when: { scenario: 'storm', connections: 10_000, missed: 100 } },
];

/** The figures with the target of every row stated for this run's condition attached; the others unchanged. */
export function withTargets(figures: Figure[], condition: RunCondition, targets: TargetRow[] = hotPathTargets): Figure[] {
  return figures.map((figure) => {
    const row = targets.find((candidate) => candidate.figure === figure.name && matches(candidate.when, condition));
    return row === undefined ? figure : { ...figure, ...judge(figure, row.bound) };
  });
}

function matches(when: RunCondition, condition: RunCondition): boolean {
  return Object.entries(when).every(([key, value]) => condition[key as keyof RunCondition] === value);
}

function judge(figure: Figure, bound: Bound): Pick<Figure, 'target' | 'met'> {
  const value = typeof figure.value === 'number' ? figure.value : Number.NaN;
  if ('equals' in bound) return { target: bound.equals, met: figure.value === bound.equals };
  if ('atLeast' in bound) return { target: `≥ ${format(bound.atLeast)}`, met: value >= bound.atLeast };
  if ('atMost' in bound) return { target: `≤ ${format(bound.atMost)}`, met: value <= bound.atMost };
  const stated = `≥ ${bound.atLeastTimes}× ${targetLabels[bound.of]}`;
  const baseline = figure.baselines?.find((candidate) => candidate.baseline === bound.of)?.value;
  if (typeof baseline !== 'number') return { target: `${stated} (not run: not judged)` };
  const needed = bound.atLeastTimes * baseline;
  return { target: `${stated} = ${format(Math.round(needed))}`, met: value >= needed };
}

const format = (value: number) => value.toLocaleString('en-US');
