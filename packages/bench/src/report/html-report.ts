import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Baseline } from '../options.js';
import type { BenchResult, Figure } from './bench-result.js';
import { baselineColumns, baselineHeader, figureCells } from './figure-columns.js';

/**
 * Chart.js's UMD build, read from node_modules when the report is written
 * and inlined, so the report is one file that opens offline, with no CDN.
 */
function chartLibrarySource(): string {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(entry), 'chart.umd.js'), 'utf8');
}

/** Inline text inside <script> must never close the element early. */
const scriptSafe = (text: string) => text.replaceAll('</', '<\\/');

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const verdicts = { met: '<span class="met">met</span>', 'not met': '<span class="missed">not met</span>', '': '' };

function figureTable(figures: Figure[]): string {
  const columns = baselineColumns(figures);
  const head = ['figure', 'unit', 'parley', ...columns.map(baselineHeader), 'target', ''].map((title) => `<th>${escapeHtml(title)}</th>`).join('');
  let section: string | undefined;
  const rows = figures.map((figure) => {
    const heading = figure.section !== undefined && figure.section !== section;
    section = figure.section;
    const sectionRow = heading ? `<tr><th colspan="${columns.length + 5}">${escapeHtml(figure.section ?? '')}</th></tr>` : '';
    return sectionRow + figureRow(figure, columns);
  });
  return `<table><thead><tr>${head}</tr></thead>\n<tbody>${rows.join('')}</tbody></table>`;
}

function figureRow(figure: Figure, columns: Baseline[]): string {
  const cells = figureCells(figure, columns);
  const baselines = cells.baselines.map((cell) => `<td class="number">${escapeHtml(cell)}</td>`).join('');
  return `<tr><td>${escapeHtml(cells.name)}</td><td>${escapeHtml(cells.unit)}</td><td class="number">${escapeHtml(cells.parley)}</td>${baselines}<td>${escapeHtml(cells.target)}</td><td>${verdicts[cells.verdict]}</td></tr>`;
}

/** A self-contained HTML page: the figures, warnings, setup, and every chart of the result. */
export function renderHtmlReport(result: BenchResult): string {
  const title = `parley-bench ${result.scenario}, ${result.startedAt}`;
  const machine = `${result.machine.cores} cores, ${result.machine.cpuModel}, Node ${result.machine.nodeVersion}`;
  const setup = result.setup === undefined ? '' : `<p>Setup (not measured): ${result.setup.users} users, ${result.setup.devices} devices, ${result.setup.conversations} conversations in ${result.setup.seconds.toFixed(1)} s.</p>`;
  const warnings = result.warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('');
  const charts = result.charts.map((_, index) => `<figure><canvas id="chart-${index}"></canvas></figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { border: 1px solid #ccc; padding: 4px 8px; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 2rem 0; height: 360px; } .warnings { color: #a40; } .met { color: #070; font-weight: 600; } .missed { color: #b00; font-weight: 600; } code { background: #f4f4f4; padding: 2px 4px; }
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>Machine: ${escapeHtml(machine)}.<br>Command: <code>${escapeHtml(result.command)}</code></p>
${setup}
${figureTable(result.figures)}
${warnings === '' ? '' : `<ul class="warnings">${warnings}</ul>`}
${charts}
<script>${scriptSafe(chartLibrarySource())}</script>
<script>
const charts = ${scriptSafe(JSON.stringify(result.charts))};
charts.forEach((spec, index) => {
  // A line over numbers (seconds, rates) gets a true linear x axis; a category axis would space points evenly.
  const linear = spec.kind === 'line' && spec.labels.every((label) => typeof label === 'number');
  const points = (data) => (linear ? data.map((y, at) => ({ x: spec.labels[at], y })) : data);
  new Chart(document.getElementById('chart-' + index), {
    type: spec.kind,
    data: {
      labels: linear ? undefined : spec.labels,
      datasets: spec.datasets.map((set) => ({ ...set, data: points(set.data), pointRadius: linear ? 1 : 0, borderWidth: 2, spanGaps: true })),
    },
    options: {
      animation: false, maintainAspectRatio: false,
      plugins: { title: { display: true, text: spec.title } },
      scales: {
        x: { type: linear ? 'linear' : 'category', title: { display: true, text: spec.xLabel } },
        y: { type: spec.yLogarithmic ? 'logarithmic' : 'linear', title: { display: true, text: spec.yLabel } },
      },
    },
  });
});
</script>
</body></html>
`;
}
