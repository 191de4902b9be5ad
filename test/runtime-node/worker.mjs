// A worker thread inverts two mutexes of its own: its record carries its threadId.
import { Worker, isMainThread, threadId } from 'node:worker_threads';
import { Mutex } from 'async-mutex';

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  worker.on('exit', () => console.log('worker done'));
} else {
  const first = new Mutex();
  const second = new Mutex();
  await first.runExclusive(() => second.runExclusive(async () => {}));
  await second.runExclusive(() => first.runExclusive(async () => {})); // worker inverts
  console.log(`in worker ${threadId}`);
}
