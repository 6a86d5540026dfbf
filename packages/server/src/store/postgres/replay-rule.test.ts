import { describe, expect, it } from 'vitest';
import { combinedRows, runRule, type AsyncRows } from './replay-rule.js';

/** A rule's rows as a core rule sees them: synchronous. */
interface Ledger {
  balance(account: string): number;
  entries(account: string): number[];
  record(account: string, amount: number): number;
}

/** Records every call it answers, so a test sees each made once, in order. */
class AsyncLedger implements AsyncRows<Ledger> {
  readonly calls: string[] = [];
  private readonly amounts = new Map<string, number[]>([['a', [5, 7]]]);

  async balance(account: string): Promise<number> {
    this.calls.push(`balance ${account}`);
    return (this.amounts.get(account) ?? []).reduce((sum, amount) => sum + amount, 0);
  }

  async entries(account: string): Promise<number[]> {
    this.calls.push(`entries ${account}`);
    return [...(this.amounts.get(account) ?? [])];
  }

  async record(account: string, amount: number): Promise<number> {
    this.calls.push(`record ${account} ${amount}`);
    this.amounts.set(account, [...(this.amounts.get(account) ?? []), amount]);
    return this.amounts.get(account)?.length ?? 0;
  }
}

describe('runRule', () => {
  it('runs a synchronous rule on asynchronous rows, each call made once and in the rule order', async () => {
    const rows = new AsyncLedger();
    const result = await runRule(rows, (ledger: Ledger) => {
      const balance = ledger.balance('a');
      const count = ledger.record('a', balance);
      return { balance, count, after: ledger.balance('a') };
    });
    expect(result).toEqual({ balance: 12, count: 3, after: 24 });
    expect(rows.calls).toEqual(['balance a', 'record a 12', 'balance a']);
  });

  it('gives each run a fresh copy of an answer, so a rule that changes what it got changes nothing of later runs', async () => {
    const rows = new AsyncLedger();
    const result = await runRule(rows, (ledger: Ledger) => {
      const entries = ledger.entries('a');
      entries.push(100);
      ledger.record('b', entries.length);
      return entries;
    });
    expect(result).toEqual([5, 7, 100]);
    expect(rows.calls).toEqual(['entries a', 'record b 3']);
  });

  it("passes on the rule's own error, after the calls made before it", async () => {
    const rows = new AsyncLedger();
    const refused = runRule(rows, (ledger: Ledger) => {
      if (ledger.balance('a') > 10) throw new Error('over the limit');
      return ledger.record('a', 1);
    });
    await expect(refused).rejects.toThrow('over the limit');
    expect(rows.calls).toEqual(['balance a']);
  });

  it('refuses a rule that does not repeat its calls (a rule must be a function of what its rows answer)', async () => {
    let run = 0;
    const wandering = runRule(new AsyncLedger(), (ledger: Ledger) => {
      run++;
      return run === 1 ? ledger.balance('a') : ledger.entries('a').length + ledger.balance('a');
    });
    await expect(wandering).rejects.toThrow('rules must be deterministic');
  });

  it('answers a rule that takes two kinds of rows from one object', async () => {
    const ledger = new AsyncLedger();
    const names = { async nameOf(account: string): Promise<string> { return `account ${account}`; } };
    const rows = combinedRows(ledger, names);
    const result = await runRule(rows, (both: Ledger & { nameOf(account: string): string }) => `${both.nameOf('a')}: ${both.balance('a')}`);
    expect(result).toBe('account a: 12');
  });
});
