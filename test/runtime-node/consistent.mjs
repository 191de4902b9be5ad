// Many concurrent chains always take first, then second, then third; siblings of one
// Promise.all contend for the same mutex with acquire()/release(): nothing to report.
import { Mutex, Semaphore } from 'async-mutex';

const first = new Mutex();
const second = new Mutex();
const third = new Semaphore(2);
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function work(i) {
  await first.runExclusive(async () => {
    await tick();
    await second.runExclusive(() => third.runExclusive(async () => i));
  });
}

async function sibling(i) {
  await tick(i % 3);
  const release = await second.acquire();
  try {
    await tick();
  } finally {
    release();
  }
}

await Promise.all(Array.from({ length: 20 }, (_, i) => work(i)));
await Promise.all(Array.from({ length: 20 }, (_, i) => sibling(i)));
console.log('consistent done');
