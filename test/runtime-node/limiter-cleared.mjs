// Tasks that never run and that no chain waits for are no deadlock (as p-queue's own tests do
// it): p-queue's clear() and p-limit's clearQueue() drop queued tasks, even ones a chain waited
// for a while (Promise.race with a timer), and a task queued without await on a paused queue
// just sits there. Expected: stdout "0 0 1", exit 0, no finding.
import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';
import PQueue from 'p-queue';

const queue = new PQueue({ concurrency: 1 });
queue.add(() => delay(20));
await Promise.race([queue.add(async () => 'never'), delay(5)]); // waited for a while, then cleared
queue.clear();

const limit = pLimit(1);
limit(() => delay(20));
await Promise.race([limit(async () => 'never'), delay(5)]); // waited for a while, then cleared
limit.clearQueue();

const paused = new PQueue({ concurrency: 1, autoStart: false });
paused.add(async () => 'never started'); // queued without await on a paused queue
console.log(queue.size, limit.pendingCount, paused.size);
