import { describe, expect, it } from 'vitest';
import { historyPage } from './history-page.js';

const everything = { from: 1, to: Number.MAX_SAFE_INTEGER };

describe('historyPage', () => {
  it('takes the newest messages when no bound is given', () => {
    expect(historyPage({ limit: 5 }, everything)).toEqual({ low: 1, high: Number.MAX_SAFE_INTEGER, limit: 5, from: 'high' });
  });

  it('takes the first messages above `after`, and the last below `before`', () => {
    expect(historyPage({ after: 3, limit: 5 }, everything)).toMatchObject({ low: 4, from: 'low' });
    expect(historyPage({ before: 3, limit: 5 }, everything)).toMatchObject({ low: 1, high: 2, from: 'high' });
  });

  it('never reaches outside what the reader may see', () => {
    expect(historyPage({ after: 0, before: 100, limit: 5 }, { from: 4, to: 9 })).toMatchObject({ low: 4, high: 9 });
  });

  it('is empty when the bounds cross or the limit is zero', () => {
    expect(historyPage({ after: 5, before: 6, limit: 5 }, everything)).toBeUndefined();
    expect(historyPage({ limit: 0 }, everything)).toBeUndefined();
    expect(historyPage({ limit: 5 }, { from: 8, to: 7 })).toBeUndefined();
  });
});
