import type { LoadShape } from '../load/load-shape.js';
import type { Figure, SetupFigures } from '../report/bench-result.js';
import { loadCharts, type ChartSpec, type NamedRun } from '../report/chart-spec.js';
import type { BenchContext, ScenarioOutcome } from './bench-context.js';
import { directFigures } from './direct-scenario.js';
import { directPopulation } from './direct-population.js';
import { groupFigures, groupPopulation, type GroupSizes } from './group-scenario.js';
import { measureShapes } from './on-each-target.js';
import { runStorm } from './storm-scenario.js';

/** The sizes issue 13 states its targets for. */
const pairs = 1000;
const group: GroupSizes = { groups: 1, members: 100, senders: 5 };
const groupOfferedDeliveriesPerS = 2000;
const storm = { connections: 10_000, missed: 100, devicesPerUser: 5, members: 100 };

/** One row of the table: its heading, and the figures it shows, in order (every figure is in the JSON). */
interface Row {
  section: string;
  shows: string[];
}

const rows = {
  closed: { section: '1:1 closed loop, 1,000 pairs', shows: ['delivered msg/s', 'server CPU per message', 'end-to-end p99'] },
  open1000: {
    section: '1:1 open loop, 1,000 msg/s offered over 1,000 pairs',
    shows: ['server CPU per message', 'end-to-end p99', 'saturated', 'delivered msg/s', 'end-to-end p50'],
  },
  open5000: {
    section: '1:1 open loop, 5,000 msg/s offered over 1,000 pairs',
    shows: ['end-to-end p99', 'saturated', 'delivered msg/s', 'server CPU per message', 'end-to-end p50'],
  },
  groupClosed: {
    section: 'group of 100, 5 senders, closed loop',
    shows: ['deliveries per server CPU-second', 'deliveries/s', 'receipt events per message'],
  },
  groupOpen: { section: 'group of 100, 5 senders, 2,000 deliveries/s offered', shows: ['fan-out p99', 'saturated', 'deliveries/s', 'fan-out p50'] },
  storm: { section: 'reconnect storm, 10,000 devices × 100 missed events', shows: ['all devices synced after', 'time to synced p99', 'replayed events/s'] },
} satisfies Record<string, Row>;

/**
 * `hotpath`: every row of issue 13's targets in sequence, at the sizes the
 * issue states, on Parley and each baseline: the 1:1 loads (closed, then
 * open at 1,000 and 5,000 msg/s) on one population of 1,000 pairs per
 * target, the group loads (closed, then open at 2,000 deliveries/s) on one
 * group per target, then the storm on Parley alone. Prints one table; the
 * JSON holds every figure of every row.
 */
export async function runHotPath(context: BenchContext): Promise<ScenarioOutcome> {
  const { window } = context.options;
  const open = (ratePerSecond: number): LoadShape => ({ mode: 'open', ratePerSecond });
  const direct = await measureShapes(context, (target) => directPopulation(context, target, pairs), [
    { shape: { mode: 'closed', window }, what: 'closed loop' },
    { shape: open(1000), what: '1,000 msg/s' },
    { shape: open(5000), what: '5,000 msg/s' },
  ]);
  const groups = await measureShapes(context, (target) => groupPopulation(context, target, group), [
    { shape: { mode: 'closed', window }, what: 'group, closed loop' },
    { shape: open(groupOfferedDeliveriesPerS / (group.members - 1)), what: 'group, 2,000 deliveries/s' },
  ]);
  const stormOutcome = await runStorm({ ...context, options: { ...context.options, ...storm } });
  const [closed = [], open1000 = [], open5000 = []] = direct.runs;
  const [groupClosed = [], groupOpen = []] = groups.runs;
  const all = {
    [rows.closed.section]: directFigures(pairs, ...split(closed)),
    [rows.open1000.section]: directFigures(pairs, ...split(open1000)),
    [rows.open5000.section]: directFigures(pairs, ...split(open5000)),
    [rows.groupClosed.section]: groupFigures(group, ...split(groupClosed)),
    [rows.groupOpen.section]: groupFigures(group, ...split(groupOpen)),
    [rows.storm.section]: stormOutcome.figures,
  };
  const figures = Object.values(rows).flatMap((row) => shown(row, all[row.section] ?? []));
  const runs = [...direct.runs, ...groups.runs].flat();
  const charts: ChartSpec[] = [...direct.runs, ...groups.runs].flatMap((rowRuns) => loadCharts(rowRuns)).concat(stormOutcome.charts);
  return {
    setup: sumSetups([direct.setup, groups.setup, stormOutcome.setup]),
    figures,
    runs,
    charts,
    details: { figuresByRow: all, storm: stormOutcome.details },
  };
}

function split(runs: NamedRun[]): [NamedRun, NamedRun[]] {
  const [parley, ...baselines] = runs;
  if (parley === undefined) throw new Error('a row has no parley run');
  return [parley, baselines];
}

/** The row's figures that the table shows, in the row's order, under its heading. */
function shown(row: Row, figures: Figure[]): Figure[] {
  return row.shows.flatMap((name) => {
    const found = figures.find((figure) => figure.name === name);
    return found === undefined ? [] : [{ ...found, section: row.section }];
  });
}

function sumSetups(setups: (SetupFigures | undefined)[]): SetupFigures {
  const sum = (pick: (setup: SetupFigures) => number) => setups.reduce((total, setup) => total + (setup === undefined ? 0 : pick(setup)), 0);
  return {
    seconds: sum((setup) => setup.seconds),
    users: sum((setup) => setup.users),
    devices: sum((setup) => setup.devices),
    conversations: sum((setup) => setup.conversations),
  };
}
