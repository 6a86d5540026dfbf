import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { eventually } from './eventually.js';

export interface LogRecord {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface CapturedLog {
  logger: Logger;
  records: LogRecord[];
  /** Waits until a record with this message has been logged, and returns the first. */
  waitFor(msg: string, timeoutMs?: number): Promise<LogRecord>;
  count(msg: string): number;
}

/** A real pino logger whose lines are kept, so tests assert what an operator reads. */
export function captureLog(level = 'info'): CapturedLog {
  const records: LogRecord[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') records.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  const find = (msg: string) => records.find((record) => record.msg === msg);
  return {
    logger: pino({ level }, stream),
    records,
    count: (msg) => records.filter((record) => record.msg === msg).length,
    async waitFor(msg, timeoutMs = 10_000) {
      await eventually(() => find(msg) !== undefined, `the log line "${msg}"`, timeoutMs);
      return find(msg) as LogRecord;
    },
  };
}
