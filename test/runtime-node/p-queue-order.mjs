// p-queue with a mutex, taken in both orders one after the other (no hang): a task of the queue
// takes books (queue, then books), and a chain holding books waits for the queue (books, then
// queue): LO101. A task that times out first frees its slot, so nothing is held at exit.
import { Mutex } from 'async-mutex';
import PQueue from 'p-queue';

const queue = new PQueue({ concurrency: 1 });
const books = new Mutex();
await queue.add(() => new Promise(() => {}), { timeout: 50 }).catch((error) => console.log(`timed out: ${error.name}`));
await queue.add(() => books.runExclusive(async () => {})); // the task takes books
await books.runExclusive(() => queue.add(async () => {})); // holding books, waits for the queue
console.log('done');
