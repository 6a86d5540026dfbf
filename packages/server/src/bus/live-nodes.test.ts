import { describe, expect, it } from 'vitest';
import { LiveNodes } from './live-nodes.js';

describe('LiveNodes', () => {
  it('tells a node new when first heard, and not while it keeps sending heartbeats', () => {
    const nodes = new LiveNodes(3_000);
    expect(nodes.heard('n_1', 0)).toBe(true);
    expect(nodes.heard('n_1', 1_000)).toBe(false);
    expect(nodes.alive(1_500)).toEqual(['n_1']);
  });

  it('takes a node unheard of for the dead time for dead, and new again when it comes back', () => {
    const nodes = new LiveNodes(3_000);
    nodes.heard('n_1', 0);
    nodes.heard('n_2', 2_000);
    expect(nodes.alive(3_000)).toEqual(['n_2']);
    expect(nodes.heard('n_1', 3_500)).toBe(true);
  });

  it('forgets a node that said it is leaving', () => {
    const nodes = new LiveNodes(3_000);
    nodes.heard('n_1', 0);
    nodes.left('n_1');
    expect(nodes.alive(1)).toEqual([]);
  });
});
