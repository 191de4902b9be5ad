// The ordered acquire: two chains name the same locks in opposite orders and both finish (no
// LO101, no deadlock); a nested acquire below a held lock is LO103 and rejects; the handle form
// releases. With LOCKORDER_ORDER_FILE declaring `audit` first, `audit` ranks before `accounts`.
import { Mutex } from 'async-mutex';
import { acquire, LockOrderViolation } from 'lockorder/runtime';

const accounts = new Mutex();
const audit = new Mutex();
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

await Promise.all([
  ...Array.from({ length: 10 }, () => acquire([accounts, audit], tick)),
  ...Array.from({ length: 10 }, () => acquire([audit, accounts], tick)),
]);
console.log('both orders done');

const held = await acquire(audit, accounts);
console.log(`locked: ${accounts.isLocked()} ${audit.isLocked()}`);
held.release();
console.log(`released: ${accounts.isLocked()} ${audit.isLocked()}`);
const disposable = await acquire(accounts, audit); // what `await using` calls at the end of its block
await disposable[Symbol.asyncDispose]();
console.log(`disposed: ${accounts.isLocked()} ${audit.isLocked()}`);

try {
  await acquire([audit], async () => { // holds audit
    await acquire([accounts], async () => {}); // nested acquire of accounts
  });
  console.log('nested fine');
} catch (error) {
  console.log(`nested: ${error instanceof LockOrderViolation}`);
}
