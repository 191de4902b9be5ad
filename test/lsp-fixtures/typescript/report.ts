// `report` takes `audit` then `accounts`, the other order from `transfer` in bank.ts.
// expect: LO101 at 7 (with bank.ts)
import { accounts, audit } from './bank.js';

export async function report(): Promise<void> {
  await audit.runExclusive(async () => {
    await accounts.runExclusive(async () => {
      console.log('totals');
    });
  });
}
