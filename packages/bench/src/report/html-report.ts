import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BenchResult, Figure } from './bench-result.js';

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

function figureRow(figure: Figure): string {
  const value = typeof figure.value === 'number' ? formatNumber(figure.value) : figure.value;
  const verdict = figure.met === undefined ? '' : figure.met ? '<span class="met">met</span>' : '<span class="missed">not met</span>';
  return `<tr><td>${escapeHtml(figure.name)}</td><td class="number">${escapeHtml(value)}</td><td>${escapeHtml(figure.unit)}</td><td>${escapeHtml(figure.target ?? '')}</td><td>${verdict}</td></tr>`;
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
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
<table><thead><tr><th>figure</th><th>value</th><th>unit</th><th>target</th><th></th></tr></thead>
<tbody>${result.figures.map(figureRow).join('')}</tbody></table>
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
