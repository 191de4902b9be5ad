// A chain asks, inside its runExclusive callback, for the mutex it holds: it would hang.
import { Mutex } from 'async-mutex';

const cache = new Mutex();

async function refresh() {
  await cache.runExclusive(async () => 1); // asks again
}

try {
  await cache.runExclusive(async () => { // holds it
    await refresh();
  });
} catch (error) {
  console.log(`caught ${error.name}`);
}
