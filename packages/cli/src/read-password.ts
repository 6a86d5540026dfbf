import { createInterface } from 'node:readline';
import type { CliContext } from './cli-context.js';
import { CliError } from './cli-error.js';

/** The password from `--password`, else `PARLEY_PASSWORD`, else asked for on the terminal. */
export async function readPassword(context: CliContext, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const fromEnv = context.env.PARLEY_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) return readFirstLine();
  return promptWithoutEcho('Password: ');
}

/** A password piped in: the first line of stdin. */
async function readFirstLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new CliError('no password: pass --password, set PARLEY_PASSWORD, or run in a terminal');
}

/** Reads one line in raw mode so the typed characters are never shown. */
function promptWithoutEcho(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') {
          finish();
          resolve(answer);
          return;
        }
        if (character === '\u0003' || character === '\u0004') {
          finish();
          reject(new CliError('cancelled'));
          return;
        }
        if (character === '\u007f' || character === '\b') answer = answer.slice(0, -1);
        else if (character >= ' ') answer += character;
      }
    };
    input.on('data', onData);
  });
}
