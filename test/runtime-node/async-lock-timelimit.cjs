// async-lock's maxExecutionTime: past it the library fails the call and hands the key to the
// next task, whatever the function goes on doing (here: never calls back, never settles). The
// key is then no longer held, so no finding. Expected stdout:
// "callback: Maximum execution time is exceeded key", "promise: Maximum execution time is
// exceeded key", "next ran"; exit 0; no records.
const AsyncLock = require('async-lock');

const lock = new AsyncLock({ maxExecutionTime: 10 });

async function main() {
  await new Promise((resolve) => {
    lock.acquire('key', (done) => {}, (err) => { // forgets to call done
      console.log(`callback: ${err.message}`);
      resolve();
    });
  });
  await lock.acquire('key', () => new Promise(() => {})).catch((err) => console.log(`promise: ${err.message}`));
  await lock.acquire('key', async () => console.log('next ran'));
}

main();
