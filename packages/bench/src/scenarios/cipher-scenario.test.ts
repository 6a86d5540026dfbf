import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../metrics/progress-line.js';
import { parseOptions } from '../options.js';
import { runCipher } from './cipher-scenario.js';

function valueOf(figures: { name: string; value: number | string }[], name: string): number {
  const found = figures.find((figure) => figure.name === name);
  if (typeof found?.value !== 'number') throw new Error(`no figure "${name}" in ${figures.map((figure) => figure.name).join(', ')}`);
  return found.value;
}

describe('the cipher scenario', () => {
  it('seals and opens every body, 200 bytes of text by default, and reports the CPU of a seal and of an open', async () => {
    const options = parseOptions(['cipher', '--messages', '2500']);
    const outcome = await runCipher({ options, progress: new ProgressLine(false), warnings: [], serverCpu: undefined });
    expect(valueOf(outcome.figures, 'bodies sealed and opened')).toBe(2500);
    expect(valueOf(outcome.figures, 'body size (JSON)')).toBe(JSON.stringify({ text: 'x'.repeat(200) }).length);
    for (const name of ['CPU per seal', 'CPU per open']) {
      const micros = valueOf(outcome.figures, name);
      expect(micros > 0 && Number.isFinite(micros), name).toBe(true);
    }
  });
});
