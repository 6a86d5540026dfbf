import { pino, type Logger } from 'pino';
import { build as prettyStream } from 'pino-pretty';

/** `auto`: readable lines for a person at a terminal, JSON lines (one record each) for a log collector. */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** The server's logger, on stdout: pretty when `format` says so or (auto) when stdout is a terminal. */
export function createLogger(level: string, format: LogFormat): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return pino({ level });
  const colorize = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
  // Synchronous, so the last lines before an exit are not lost.
  return pino({ level }, prettyStream({ colorize, sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
}
