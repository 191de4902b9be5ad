// 1,000 concurrent chains x 100 nested acquisitions each, always in the same order of 10
// mutexes: every distinct edge is recorded once and nothing is reported.
import { Mutex } from 'async-mutex';

const locks = Array.from({ length: 10 }, () => new Mutex());

async function chain(c) {
  for (let i = 0; i < 100; i += 1) {
    const a = locks[(c + i) % 9];
    const b = locks[((c + i) % 9) + 1];
    await a.runExclusive(() => b.runExclusive(async () => i));
  }
}

await Promise.all(Array.from({ length: 1000 }, (_, c) => chain(c)));
console.log(`rss ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
