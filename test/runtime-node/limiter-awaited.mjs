// Awaiting is waiting: a chain holding the books mutex awaits a queued task that needs books.
// It hangs (Node exits with code 13, the top-level await unsettled): LO102 when the chain starts
// awaiting; --raise rejects the task's wait with DeadlockError instead.
import { Mutex } from 'async-mutex';
import PQueue from 'p-queue';

const books = new Mutex();
const queue = new PQueue({ concurrency: 1 });
try {
  await books.runExclusive(async () => { // holds books
    await queue.add(() => books.runExclusive(async () => 'posted')); // the task waits for books
  });
} catch (error) {
  console.log(`caught ${error.name}`);
}
