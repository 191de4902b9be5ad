// Node runtime demo: two async handlers take two async-mutex locks in opposite orders.
//
// The handlers run one after the other, so the program never hangs, but under load the two
// orders deadlock (each holds one mutex and awaits the other). Run it under the runtime:
//
//     npx lockorder run --report-dir /tmp/x examples/node_runtime_demo.mjs
//
// and the runtime reports LO101 with both acquisition sites. The fix: take both with
// `acquire([accounts, audit], fn)` from 'lockorder/runtime', which sorts them by rank.
import { Mutex } from 'async-mutex';

const accounts = new Mutex();
const audit = new Mutex();

/** Takes accounts, then audit. */
async function transfer() {
  await accounts.runExclusive(async () => {
    await audit.runExclusive(async () => console.log('transfer: recorded'));
  });
}

/** Takes audit, then accounts: the opposite order. */
async function report() {
  await audit.runExclusive(async () => {
    await accounts.runExclusive(async () => console.log('report: balances read'));
  });
}

await transfer();
await report();
