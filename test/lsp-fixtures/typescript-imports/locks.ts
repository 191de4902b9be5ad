// The locks user.ts takes, and the wrapper it calls: `withLedger` runs its callback holding
// `ledger`. test/lsp-ts-dependents.test.mjs edits this file (the wrapper, a lock's type) and
// checks that user.ts's diagnostics follow.
import { Mutex } from 'async-mutex';

export const ledger = new Mutex();
export const journal = new Mutex();

export function withLedger<T>(fn: () => Promise<T>): Promise<T> {
  return ledger.runExclusive(fn);
}
