import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchResult } from './bench-result.js';
import { renderHtmlReport } from './html-report.js';

/** Writes `<outDir>/<scenario>-<timestamp>.json` and `.html`; returns both paths. */
export function writeResult(result: BenchResult, outDir: string): { json: string; html: string } {
  mkdirSync(outDir, { recursive: true });
  const stamp = result.startedAt.replaceAll(':', '').replace(/\.\d+Z$/, 'Z');
  const base = resolve(join(outDir, `${result.scenario}-${stamp}`));
  const json = `${base}.json`;
  const html = `${base}.html`;
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(html, renderHtmlReport(result));
  return { json, html };
}

/** Renders the HTML report of a result file again (after the report code changed), next to it. */
export function rewriteHtmlReport(jsonPath: string): string {
  const result = JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchResult;
  const html = jsonPath.replace(/\.json$/, '') + '.html';
  writeFileSync(html, renderHtmlReport(result));
  return resolve(html);
}
