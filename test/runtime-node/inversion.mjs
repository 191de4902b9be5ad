// Two chains take accounts and audit in opposite orders, one after the other: no hang, but the
// second order closes a cycle (LO101).
import { Mutex } from 'async-mutex';

const accounts = new Mutex();
const audit = new Mutex();

async function transfer() {
  await accounts.runExclusive(async () => {
    await audit.runExclusive(async () => {}); // transfer takes audit
  });
}

async function report() {
  await audit.runExclusive(async () => {
    await accounts.runExclusive(async () => {}); // report takes accounts
  });
}

await transfer();
await report();
console.log(`done ${process.argv.slice(2).join(' ')}`);
