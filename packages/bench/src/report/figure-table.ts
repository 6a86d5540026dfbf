import type { BenchResult } from './bench-result.js';
import { formatNumber } from './html-report.js';

/** The figures as a plain-text table for the terminal. */
export function figureTable(result: BenchResult): string {
  const rows = result.figures.map((figure) => [
    figure.name,
    typeof figure.value === 'number' ? formatNumber(figure.value) : figure.value,
    figure.unit,
    figure.target === undefined ? '' : `${figure.target} ${figure.met === true ? 'met' : 'NOT met'}`,
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) =>
    [row[0]?.padEnd(widths[0] ?? 0), row[1]?.padStart(widths[1] ?? 0), row[2]?.padEnd(widths[2] ?? 0), row[3]].join('  ').trimEnd(),
  );
  const warnings = result.warnings.map((warning) => `warning: ${warning}`);
  return [...lines, ...warnings].join('\n');
}
