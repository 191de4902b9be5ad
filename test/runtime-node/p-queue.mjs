// p-queue: a queue of concurrency 1 is a lock with one slot; a task waiting on its own full queue
// is a self-deadlock (LO102): it would hang. addAll and priorities work as before, and a queue of
// unbounded concurrency (the default) blocks nobody: nesting in it is fine and it is no lock.
import PQueue from 'p-queue';

const queue = new PQueue({ concurrency: 1 });
const results = await queue.addAll([async () => 1, async () => 2]);
const order = [];
await Promise.all([ // a task of higher priority goes before one queued earlier
  queue.add(async () => order.push('first')),
  queue.add(async () => order.push('low')),
  queue.add(async () => order.push('high'), { priority: 1 }),
]);
const unbounded = new PQueue();
const nested = await unbounded.add(async () => unbounded.add(async () => 'nested'));
console.log(`addAll ${results.join(',')} ${order.join(',')} ${nested} pending ${queue.pending} size ${queue.size}`);
try {
  await queue.add(async () => { // holds the slot
    await queue.add(async () => 'inner'); // waits for its own queue
  });
} catch (error) {
  console.log(`caught ${error.name}`);
}
