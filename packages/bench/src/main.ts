#!/usr/bin/env node
import { parseOptions, UsageError } from './options.js';
import { figureTable } from './report/figure-table.js';
import { rewriteHtmlReport, writeResult } from './report/write-result.js';
import { runBench } from './run-bench.js';
import { walPagesByTable, walPagesReport } from './storage/wal-pages.js';

// `parley-bench <scenario> [options]`: measures, prints the figures, writes JSON and HTML.
// `parley-bench report <result.json>`: writes the HTML report of a result again.
// `parley-bench wal-pages <parley.db>`: what each commit in its WAL wrote, by table.
try {
  if (process.argv[2] === 'report') {
    for (const path of process.argv.slice(3)) console.log(`report: ${rewriteHtmlReport(path)}`);
    process.exit(0);
  }
  if (process.argv[2] === 'wal-pages') {
    for (const path of process.argv.slice(3)) console.log(`${path}\n${walPagesReport(walPagesByTable(path))}`);
    process.exit(0);
  }
  const options = parseOptions(process.argv.slice(2));
  const command = ['parley-bench', ...process.argv.slice(2)].join(' ');
  const result = await runBench(options, command);
  const paths = writeResult(result, options.outDir);
  console.log(figureTable(result));
  console.log(`\nresult: ${paths.json}\nreport: ${paths.html}`);
  process.exit(0);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  // fetch's "fetch failed" says why only in its cause (ECONNRESET, ECONNREFUSED, …).
  if (error instanceof Error && error.cause !== undefined) console.error('caused by:', error.cause);
  process.exit(1);
}
