// async-lock (ESM import): a task asks for the key it holds; async-lock would hang.
import AsyncLock from 'async-lock';

const lock = new AsyncLock();
try {
  await lock.acquire('cache', async () => { // holds cache
    await lock.acquire('cache', async () => {}); // asks again
  });
} catch (error) {
  console.log(`caught ${error.name}`);
}
