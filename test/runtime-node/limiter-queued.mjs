// Queuing is not waiting: a chain that holds a mutex and queues a task needing that mutex
// without awaiting it, and a crawler's task queuing more pages on its own full queue, cannot
// deadlock. Nothing is reported and all the work is done.
import { Mutex } from 'async-mutex';
import pLimit from 'p-limit';
import PQueue from 'p-queue';

const books = new Mutex();
const queue = new PQueue({ concurrency: 1 });
const limit = pLimit(1);
const done = [];
const write = (what) => books.runExclusive(async () => { done.push(what); }); // the task takes books
await books.runExclusive(async () => {
  queue.add(() => write('queued')); // not awaited: books is released before the task needs it
  limit(() => write('limited'));
});
const crawl = async (page) => {
  done.push(page);
  if (page < 3) queue.add(() => crawl(page + 1)); // queues the next page on its own full queue
};
await queue.add(() => crawl(1));
await queue.onIdle();
await limit(async () => {});
console.log(done.join(','));
