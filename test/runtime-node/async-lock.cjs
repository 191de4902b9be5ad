// async-lock (CommonJS): keys taken in opposite orders (LO101); a queued task runs in the chain
// that queued it, not in the releaser's (async-lock calls it from the release); callback mode
// and batches work as without the runtime.
const AsyncLock = require('async-lock');

const lock = new AsyncLock();
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function main() {
  await lock.acquire('accounts', async () => {
    await lock.acquire('audit', async () => {}); // audit under accounts
  });
  await lock.acquire('audit', async () => {
    await lock.acquire('accounts', async () => {}); // accounts under audit
  });

  // The releaser gives 'shared' back from inside 'other'; the waiter then takes 'later'.
  lock.acquire('shared', (releaseShared) => {
    lock.acquire('other', async () => {
      await tick();
      releaseShared(); // wakes the waiter while holding other
      await tick();
    });
  });
  await new Promise((resolve) => setImmediate(resolve)); // queue before the release
  await lock.acquire('shared', async () => {
    await lock.acquire('later', async () => {});
  });
  await tick();
  await tick();
  await lock.acquire('later', async () => {
    await lock.acquire('other', async () => {}); // fine unless the waiter ran as the releaser
  });

  const batch = await new Promise((resolve) => lock.acquire(['x', 'y'], (done) => done(null, 'batch ok'), (err, ret) => resolve(ret)));
  console.log(batch, lock instanceof AsyncLock);
}
main();
