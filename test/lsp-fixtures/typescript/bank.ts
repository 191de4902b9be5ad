// The bank's two mutexes, and `transfer`, which takes `accounts` then `audit`. report.ts (a
// closed file) takes them the other way round: one LO101, at `report`'s inner acquisition in
// report.ts, with this file's sites as related locations.
import { Mutex } from 'async-mutex';

export const accounts = new Mutex();
export const audit = new Mutex();

export async function transfer(amount: number): Promise<void> {
  await accounts.runExclusive(async () => {
    await audit.runExclusive(async () => {
      console.log('moved', amount);
    });
  });
}
