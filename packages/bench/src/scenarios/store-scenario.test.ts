import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../metrics/progress-line.js';
import { parseOptions } from '../options.js';
import type { BenchContext } from './bench-context.js';
import { runStore } from './store-scenario.js';

function contextFor(...argv: string[]): BenchContext {
  return { options: parseOptions(['store', ...argv]), progress: new ProgressLine(false), warnings: [], serverCpu: undefined };
}

function valueOf(figures: { name: string; value: number | string }[], name: string): number {
  const found = figures.find((figure) => figure.name === name);
  if (typeof found?.value !== 'number') throw new Error(`no figure "${name}" in ${figures.map((figure) => figure.name).join(', ')}`);
  return found.value;
}

const positiveAndFinite = (value: number) => value > 0 && Number.isFinite(value);

describe('the store scenario', () => {
  it('appends every message on a real SQLite file and reports sane per-message figures', async () => {
    const outcome = await runStore(contextFor('--pairs', '10', '--messages', '200', '--window', '20'));
    expect(outcome.setup).toMatchObject({ users: 20, devices: 20, conversations: 10 });
    expect(valueOf(outcome.figures, 'messages appended')).toBe(200);
    for (const name of ['messages/s', 'wall time per message', 'CPU per message']) {
      expect(positiveAndFinite(valueOf(outcome.figures, name)), name).toBe(true);
    }
    // Two deliveries acked per message, and at most one receipt each.
    const acksPerMessage = valueOf(outcome.figures, 'acks per message');
    expect(acksPerMessage).toBeGreaterThanOrEqual(2);
    expect(acksPerMessage).toBeLessThanOrEqual(3);
  });

  it('appends alone, in plain text and with checkpoints inside commits', async () => {
    const outcome = await runStore(contextFor('--pairs', '10', '--messages', '200', '--no-acks', '--plain', '--checkpoint-interval-ms', '0'));
    expect(valueOf(outcome.figures, 'messages appended')).toBe(200);
    expect(positiveAndFinite(valueOf(outcome.figures, 'messages/s'))).toBe(true);
    expect(outcome.figures.some((figure) => figure.name === 'acks per message')).toBe(false);
  });
});
