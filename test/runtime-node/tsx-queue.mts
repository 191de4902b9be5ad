// Run as `node --import lockorder/register --import tsx/esm tsx-queue.mts` (the runtime in
// NODE_OPTIONS, tsx on the command line, as p-queue's own tests run): p-queue imported from a
// .ts file is instrumented and the program runs as without the runtime. Expected: stdout
// "shelved counted", exit 0, one LO101 between `queue` and `books` (taken in both orders below).
import PQueue from 'p-queue';
import { Mutex } from 'async-mutex';

const queue: PQueue = new PQueue({ concurrency: 1 });
const books: Mutex = new Mutex();
const shelved: string = await books.runExclusive(() => queue.add(async () => 'shelved')); // queue after books
const counted = await queue.add(() => books.runExclusive(async () => 'counted')); // books after queue
console.log(shelved, counted);
