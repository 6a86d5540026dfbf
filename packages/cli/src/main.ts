#!/usr/bin/env node
import { commandOf } from './cli-context.js';
import { describeError } from './describe-error.js';
import { createProgram } from './program.js';
import { serve } from './commands/serve.js';

async function main(argv: string[]): Promise<void> {
  // `serve` hands every argument after it to the server untouched, so it bypasses the parser.
  if (argv[2] === 'serve') {
    await serve(argv.slice(3));
    return;
  }
  await createProgram(process.env).parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`parley: ${describeError(error, commandOf(process.env))}\n`);
  process.exitCode = 1;
  // A failed command is over: a request still hanging (a server that never answers) must not keep it running.
  setTimeout(() => process.exit(), 1_000).unref();
});
