// A real promise deadlock: each chain holds one mutex and waits for the other. Node exits with
// 13 (unsettled top-level await); the runtime says who waits for what.
import { Mutex } from 'async-mutex';

const left = new Mutex();
const right = new Mutex();
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

async function one() {
  await left.runExclusive(async () => { // one holds left
    await tick();
    await right.runExclusive(async () => {}); // one waits for right
  });
}

async function two() {
  await right.runExclusive(async () => { // two holds right
    await tick();
    await left.runExclusive(async () => {}); // two waits for left
  });
}

try {
  await Promise.all([one(), two()]);
} catch (error) {
  console.log(`caught ${error.name}`);
}
