import type { BenchResult } from './bench-result.js';
import { baselineColumns, baselineHeader, figureCells } from './figure-columns.js';

/**
 * The figures as a plain-text table for the terminal: Parley's value, each
 * baseline's with Parley's ratio to it, the target and whether it is met;
 * figures with a section are listed under its heading.
 */
export function figureTable(result: BenchResult): string {
  const columns = baselineColumns(result.figures);
  const header = ['figure', 'unit', 'parley', ...columns.map(baselineHeader), 'target', ''];
  const rows = result.figures.map((figure) => {
    const cells = figureCells(figure, columns);
    return { section: figure.section, cells: [cells.name, cells.unit, cells.parley, ...cells.baselines, cells.target, cells.verdict === 'not met' ? 'NOT met' : cells.verdict] };
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row.cells[column] ?? '').length)));
  // Names and units read left to right, values line up on the right.
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column < 2 || column >= cells.length - 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [line(header)];
  let section: string | undefined;
  for (const row of rows) {
    if (row.section !== undefined && row.section !== section) lines.push('', row.section);
    section = row.section;
    lines.push(line(row.cells));
  }
  const warnings = result.warnings.map((warning) => `warning: ${warning}`);
  return [...lines, ...(warnings.length === 0 ? [] : ['', ...warnings])].join('\n');
}
