// TypeScript for the editor test (scenario 27-typescript, copied into the workspace then):
// `transfer` takes `accounts` then `audit`, `report` takes `audit` then `accounts`: one LO101, on
// line 19, and its "Ignore LO101 on this line" quick fix.
import { Mutex } from 'async-mutex';

const accounts = new Mutex();
const audit = new Mutex();

export async function transfer(amount: number): Promise<void> {
  await accounts.runExclusive(async () => {
    await audit.runExclusive(async () => {
      console.log('moved', amount);
    });
  });
}

export async function report(): Promise<void> {
  await audit.runExclusive(async () => {
    await accounts.runExclusive(async () => {
      console.log('totals');
    });
  });
}
