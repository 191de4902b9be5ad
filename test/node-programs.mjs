// JavaScript programs shared by the tests of the Node runtime in the editor (run commands, diagnostics).

/** Two async chains take `accounts` and `audit` in opposite orders, one after the other: LO101, no hang. */
export const bankJs = `// Bank: transfer takes accounts then audit, report takes audit then accounts.
import { Mutex } from 'async-mutex';

const accounts = new Mutex();
const audit = new Mutex();

async function transfer() {
  await accounts.runExclusive(async () => {
    await audit.runExclusive(async () => {});
  });
}

async function report() {
  await audit.runExclusive(async () => {
    await accounts.runExclusive(async () => {});
  });
}

await transfer();
await report();
`;
