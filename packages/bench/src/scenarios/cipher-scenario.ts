import { randomBytes, randomUUID } from 'node:crypto';
import { openBenchCipher, type BenchCipher } from '@parley/server/bench-cipher';
import { CpuMeter, otherProcessesBusyCores } from '../metrics/cpu-meter.js';
import type { ProgressLine } from '../metrics/progress-line.js';
import type { Figure } from '../report/bench-result.js';
import { figure } from '../report/figures.js';
import type { BenchContext, ScenarioOutcome } from './bench-context.js';

/** Bodies sealed, then opened, per batch: few enough to die young, as the bodies of one group commit do. */
const batchValues = 1_000;
/** Sealed and opened before measuring, so the JIT has compiled the path. */
const warmupValues = 20_000;

interface CipherRun {
  values: number;
  sealCpuSeconds: number;
  openCpuSeconds: number;
}

/**
 * `cipher`: encryption at rest alone, in this process, with no database and
 * no sockets. N message bodies of --body-bytes of text are sealed as the
 * store seals them (AES-256-GCM under a data key, bound to conversation and
 * seq), then opened and compared, a batch at a time, with this process's CPU
 * counted apart for the seals and for the opens.
 */
export async function runCipher(context: BenchContext): Promise<ScenarioOutcome> {
  const { messages, bodyBytes } = context.options;
  const cipher = openBenchCipher(randomBytes(32));
  const bodyJson = JSON.stringify({ text: 'x'.repeat(Math.max(1, bodyBytes)) });
  sealAndOpen(cipher, bodyJson, Math.min(messages, warmupValues), context.progress);
  const meter = new CpuMeter(undefined);
  const run = sealAndOpen(cipher, bodyJson, messages, context.progress);
  const cpu = meter.read();
  context.progress.done(`[cipher] ${run.values} bodies of ${Buffer.byteLength(bodyJson)} bytes sealed and opened in ${cpu.wallSeconds.toFixed(1)} s`);
  if (cpu.otherCores > otherProcessesBusyCores) {
    context.warnings.push(`other processes used ${cpu.otherCores.toFixed(2)} cores during the measurement: the figures were disturbed`);
  }
  const figures: Figure[] = [
    figure('bodies sealed and opened', run.values, 'bodies'),
    figure('body size (JSON)', Buffer.byteLength(bodyJson), 'bytes'),
    figure('CPU per seal', microsPer(run.sealCpuSeconds, run.values), 'µs'),
    figure('CPU per open', microsPer(run.openCpuSeconds, run.values), 'µs'),
    figure('other processes CPU', cpu.otherCores, 'cores'),
  ];
  return { figures, runs: [], charts: [], details: { cpu } };
}

function sealAndOpen(cipher: BenchCipher, bodyJson: string, values: number, progress: ProgressLine): CipherRun {
  const conversationId = randomUUID();
  const run: CipherRun = { values: 0, sealCpuSeconds: 0, openCpuSeconds: 0 };
  while (run.values < values) {
    const first = run.values + 1;
    const count = Math.min(batchValues, values - run.values);
    const sealStarted = process.cpuUsage();
    const sealed = [];
    for (let seq = first; seq < first + count; seq++) sealed.push(cipher.sealBody(bodyJson, conversationId, seq));
    run.sealCpuSeconds += cpuSecondsSince(sealStarted);
    const openStarted = process.cpuUsage();
    let intact = 0;
    for (const [index, { body, key_id }] of sealed.entries()) {
      if (cipher.openBody({ body, key_id, conversation_id: conversationId, seq: first + index }) === bodyJson) intact++;
    }
    run.openCpuSeconds += cpuSecondsSince(openStarted);
    if (intact !== count) throw new Error(`${count - intact} of ${count} sealed bodies did not open to what was sealed`);
    run.values += count;
    progress.update(`[cipher] ${run.values}/${values} sealed and opened`);
  }
  return run;
}

function cpuSecondsSince(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e6;
}

const microsPer = (spanSeconds: number, values: number) => Number(((spanSeconds * 1e6) / values).toFixed(2));
