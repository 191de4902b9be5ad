// Two async call chains take the same two async-mutex locks in opposite orders.
//
// `transfer` holds the accounts mutex and awaits `log()`, which asks for the journal mutex;
// `audit` holds the journal mutex and asks for the accounts mutex. When both get their first
// mutex before either gets its second, each waits for the other: Node does not hang or
// crash, it just exits with both promises unsettled and the work undone.
//
// `lockorder check examples/bank_transfer.ts` reports LO101 (lock-order inversion), following
// the awaited call to `log()` with the type checker. No async-mutex install is needed to check it.
import { Mutex } from 'async-mutex';

export class Bank {
  private accounts = new Mutex();
  private journal = new Mutex();
  private balances = new Map<string, number>();
  private entries: string[] = [];

  async transfer(from: string, to: string, amount: number): Promise<void> {
    await this.accounts.runExclusive(async () => {
      this.balances.set(from, (this.balances.get(from) ?? 0) - amount);
      this.balances.set(to, (this.balances.get(to) ?? 0) + amount);
      await this.log(`${from} -> ${to}: ${amount}`);
    });
  }

  async audit(): Promise<number> {
    return this.journal.runExclusive(async () => {
      const total = await this.accounts.runExclusive(() => [...this.balances.values()].reduce((a, b) => a + b, 0));
      this.entries.push(`audit: ${total}`);
      return total;
    });
  }

  private async log(entry: string): Promise<void> {
    await this.journal.runExclusive(() => { this.entries.push(entry); });
  }
}
