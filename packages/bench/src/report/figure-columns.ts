import { baselines, type Baseline } from '../options.js';
import { targetLabels } from '../process/targets.js';
import type { BaselineFigure, Figure } from './bench-result.js';

/** One figure as the cells of a report's table, shared by the terminal and the HTML report. */
export interface FigureCells {
  name: string;
  unit: string;
  parley: string;
  /** One cell per baseline column: its value and Parley's ratio to it, or empty. */
  baselines: string[];
  target: string;
  verdict: 'met' | 'not met' | '';
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}

const formatValue = (value: number | string) => (typeof value === 'number' ? formatNumber(value) : value);

/** The baselines any figure has, in the tool's order: the columns after Parley's. */
export function baselineColumns(figures: Figure[]): Baseline[] {
  return baselines.filter((baseline) => figures.some((figure) => figure.baselines?.some((entry) => entry.baseline === baseline)));
}

export function baselineHeader(baseline: Baseline): string {
  return `${targetLabels[baseline]} (parley ÷)`;
}

export function figureCells(figure: Figure, columns: Baseline[]): FigureCells {
  return {
    name: figure.name,
    unit: figure.unit,
    parley: formatValue(figure.value),
    baselines: columns.map((column) => baselineCell(figure.baselines?.find((entry) => entry.baseline === column))),
    target: figure.target ?? '',
    verdict: figure.met === undefined ? '' : figure.met ? 'met' : 'not met',
  };
}

function baselineCell(entry: BaselineFigure | undefined): string {
  if (entry === undefined) return '';
  return entry.ratio === undefined ? formatValue(entry.value) : `${formatValue(entry.value)} (${formatNumber(entry.ratio)}×)`;
}
