import { describe, expect, it } from 'vitest';
import { nextStreamFloor } from './retention-rule.js';

describe('nextStreamFloor', () => {
  it('raises the floor to the lowest pos every active device acked', () => {
    expect(nextStreamFloor(3, 8)).toBe(8);
  });

  it('never lowers the floor', () => {
    expect(nextStreamFloor(8, 5)).toBeUndefined();
    expect(nextStreamFloor(8, 8)).toBeUndefined();
  });

  it('deletes nothing while no device is active: nobody can say the events were seen', () => {
    expect(nextStreamFloor(3, undefined)).toBeUndefined();
  });
});
